using System.ComponentModel.DataAnnotations;

namespace BotAgent.Tools.Mcp;

/// <summary>Configuration section <c>Mcp</c>: the MCP servers whose tools the bot offers as <c>mcp.{server}.{tool}</c>.</summary>
public sealed class McpOptions
{
    public const string Section = "Mcp";

    /// <summary>The servers, by name (<c>Mcp:Servers:{name}</c>); the name is the middle part of each tool's name.</summary>
    public Dictionary<string, McpServerOptions> Servers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long start waits for the servers' first connection; a server still down after that connects in the background.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StartupWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one connection attempt (start or dial, handshake, tool list) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after the first failed reconnection; it doubles after each failure up to <see cref="MaxReconnectDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a call waits for a server that has just lost its connection to come back before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CallWaitForReconnect { get; set; } = TimeSpan.FromSeconds(10);
}
