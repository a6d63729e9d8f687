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

    /// <summary>
    /// PostgreSQL functions a statement may call besides the built-in allow-list (aggregates, window functions, math,
    /// strings, dates and times, JSON, arrays, casts: functions that cannot act outside the statement). A statement that
    /// calls any other function is refused at plan time, since a read-only transaction does not stop a function from
    /// signalling other sessions, reading server files or opening a connection of its own. Each entry is a name as
    /// written unquoted in SQL (<c>my_report_total</c>, matched in lower case, as PostgreSQL folds it), or
    /// <c>schema.name</c> to allow calls written with that schema; add only functions you know to be read-only.
    /// SQLite statements are not held to this list (its few dangerous functions, such as load_extension, are refused).
    /// </summary>
    /// <remarks>No default here: the configuration binder appends to a list.</remarks>
    public List<string> AllowedFunctions { get; set; } = [];

    /// <summary>Characters of one value shown in the table; longer values are cut.</summary>
    [Range(8, 100_000)]
    public int MaxCellChars { get; set; } = 200;
}
