using System.ComponentModel.DataAnnotations;

namespace BotAgent.Tools.Mcp;

/// <summary>One MCP server (<c>Mcp:Servers:{name}</c>): a <see cref="Command"/> to start (stdio) or a <see cref="Url"/> to reach (streamable HTTP).</summary>
public sealed class McpServerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>stdio: the program to start; the bot talks MCP over its standard input and output.</summary>
    public string? Command { get; set; }

    public List<string> Args { get; set; } = [];

    /// <summary>Environment variables for the started program.</summary>
    public Dictionary<string, string?> Env { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Hands the program every environment variable of the bot, secrets included. Off: it gets only PATH, HOME and the
    /// like, plus <see cref="Env"/>.
    /// </summary>
    public bool DangerouslyInheritEnvironment { get; set; }

    public string? WorkingDirectory { get; set; }

    /// <summary>Streamable HTTP: the server's MCP endpoint.</summary>
    public Uri? Url { get; set; }

    /// <summary>Headers sent with every HTTP request (an <c>Authorization</c> token, say; keep it in a secret store).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-attempt timeout of this server's tools unless <c>Execution:StepTimeout</c> says otherwise.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What configuration says about each tool, by the server's tool name; it overrides the server's annotations.</summary>
    public Dictionary<string, McpToolOptions> Tools { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
