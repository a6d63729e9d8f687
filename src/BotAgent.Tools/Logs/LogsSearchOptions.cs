using System.ComponentModel.DataAnnotations;

namespace BotAgent.Tools.Logs;

/// <summary>Configuration section <c>Tools:Logs</c> (the <c>logs.search</c> tool).</summary>
public sealed class LogsSearchOptions
{
    public const string Section = "Tools:Logs";

    public bool Enabled { get; set; }

    /// <summary>
    /// The files the tool may read, as absolute paths: a glob (<c>/var/log/app/*.log</c>, <c>/srv/*/logs/**/*.log</c>;
    /// <c>*</c> and <c>?</c> stay within one folder, <c>**</c> crosses folders), a folder (every file beneath it) or
    /// one file. A file counts as inside a root only if its real path (symbolic links resolved) matches the root.
    /// </summary>
    /// <remarks>No default here: the configuration binder appends to a list, so a default would survive every override.</remarks>
    public List<string> Roots { get; set; } = [];

    /// <summary>Matching lines returned at most; a step's <c>maxMatches</c> may ask for fewer.</summary>
    [Range(1, 10_000)]
    public int MaxMatches { get; set; } = 200;

    /// <summary>Bytes read at most in one search, over all files (newest files are read first).</summary>
    [Range(typeof(long), "1024", "107374182400")]
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Files considered at most in one search; the newest of those found are searched first.</summary>
    [Range(1, 100_000)]
    public int MaxFiles { get; set; } = 1000;

    /// <summary>The longest a regular expression may spend on one line before the search fails.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Characters of a matching line shown; longer lines are cut.</summary>
    [Range(40, 100_000)]
    public int MaxLineChars { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
