namespace BotAgent.Tools.Mcp;

/// <summary>
/// <c>Mcp:Servers:{server}:Tools:{tool}</c>. A server's annotations are hints from the server; these settings are the
/// operator's word and win.
/// </summary>
public sealed class McpToolOptions
{
    /// <summary>False hides the tool: it is neither offered nor callable.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>read_only</c>, <c>write</c> or <c>high</c>, instead of what the annotations imply.</summary>
    public string? Risk { get; set; }

    /// <summary>Whether a repeated call has the effect of one (retry-safe), instead of the server's <c>idempotentHint</c>.</summary>
    public bool? Idempotent { get; set; }
}
