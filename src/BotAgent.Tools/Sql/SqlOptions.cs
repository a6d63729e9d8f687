using System.ComponentModel.DataAnnotations;

namespace BotAgent.Tools.Sql;

/// <summary>Configuration section <c>Tools:Sql</c> (the <c>sql.query</c> tool).</summary>
public sealed class SqlOptions
{
    public const string Section = "Tools:Sql";

    public bool Enabled { get; set; }

    /// <summary>The databases, by the name a step gives as <c>connection</c>.</summary>
    public Dictionary<string, SqlConnectionOptions> Connections { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Rows returned at most; the result says when there were more.</summary>
    [Range(1, 10_000)]
    public int MaxRows { get; set; } = 100;

    /// <summary>The longest a statement may run (PostgreSQL's statement_timeout; SQLite is interrupted).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Characters of one value shown in the table; longer values are cut.</summary>
    [Range(8, 100_000)]
    public int MaxCellChars { get; set; } = 200;
}
