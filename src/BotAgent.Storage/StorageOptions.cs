using System.ComponentModel.DataAnnotations;

namespace BotAgent.Storage;

/// <summary>Configuration section <c>Storage</c>; the connection string is <c>ConnectionStrings:BotAgent</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string ConnectionStringName = "BotAgent";
    public const string DefaultSqliteConnectionString = "Data Source=data/botagent.db";

    /// <summary><c>Sqlite</c> (default: one instance) or <c>Postgres</c> (several instances, one database).</summary>
    [RegularExpression("^(?i:sqlite|postgres)$", ErrorMessage = "Storage:Provider must be 'Sqlite' or 'Postgres'.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Finished runs older than this many days are deleted with their traces; 0 keeps everything.</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; }

    /// <summary>Filled from <c>ConnectionStrings:BotAgent</c>.</summary>
    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;
}
