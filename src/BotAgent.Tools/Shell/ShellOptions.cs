using System.ComponentModel.DataAnnotations;

namespace BotAgent.Tools.Shell;

/// <summary>Configuration section <c>Tools:Shell</c> (the <c>shell.run</c> tool). Off unless enabled.</summary>
public sealed class ShellOptions
{
    public const string Section = "Tools:Shell";

    /// <summary>Off by default: a program run on the bot's host is the riskiest thing a plan can do.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The only programs a step may run: absolute paths (<c>/usr/bin/systemctl</c>) or names found in
    /// <see cref="Path"/> at start (<c>df</c>). A step names one by its path or its file name. Never list a shell or
    /// an interpreter (sh, bash, python, env): it would run anything its arguments say.
    /// </summary>
    /// <remarks>No default here: the configuration binder appends to a list, so a default would survive every override.</remarks>
    public List<string> AllowedExecutables { get; set; } = [];

    /// <summary>Folders searched for names in <see cref="AllowedExecutables"/>, separated by ':'; also the programs' PATH unless <see cref="Environment"/> sets one.</summary>
    public string Path { get; set; } = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>The folder programs run in (default: the system temporary folder). Steps cannot choose it.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The programs' whole environment: nothing of the bot's own (its secrets included) is passed on. Steps cannot add to it.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bytes kept of standard output and of standard error each; the rest is read and dropped.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxOutputBytes { get; set; } = 64 * 1024;

    /// <summary>After this the program and everything it started are killed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
