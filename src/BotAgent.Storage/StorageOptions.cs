using System.ComponentModel.DataAnnotations;

namespace BotAgent.Storage;

/// <summary>Configuration section <c>Storage</c>; the connection string is <c>ConnectionStrings:BotAgent</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string ConnectionStringName = "BotAgent";
    public const string DefaultSqliteConnectionString = "Data Source=data/botagent.db";

    /// <summary><c>Sqlite</c> (default).</summary>
    [RegularExpression("^(?i:sqlite)$", ErrorMessage = "Storage:Provider must be 'Sqlite'.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Filled from <c>ConnectionStrings:BotAgent</c>.</summary>
    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;
}
