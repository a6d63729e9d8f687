using ModelContextProtocol.Client;

namespace BotAgent.Tools.Mcp;

/// <summary>One server's connection as the rest of the bot sees it; replaced whole, never changed.</summary>
/// <param name="tools">The tools of the current session, or of the last one while reconnecting or down.</param>
/// <param name="reason">Why the server is not connected.</param>
/// <param name="broken">Shared by the states of one session: completed, with a reason, when a call finds the session broken.</param>
internal sealed class McpServerState(
    McpServerStatus status,
    IReadOnlyDictionary<string, McpTool> tools,
    string? reason,
    McpClient? client = null,
    TaskCompletionSource<string>? broken = null)
{
    public McpServerStatus Status { get; } = status;

    public IReadOnlyDictionary<string, McpTool> Tools { get; } = tools;

    public string? Reason { get; } = reason;

    public McpClient? Client { get; } = client;

    public TaskCompletionSource<string>? Broken { get; } = broken;

    /// <summary>Completed when a newer state replaces this one.</summary>
    public TaskCompletionSource Replaced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool OffersTools => Status is McpServerStatus.Connected or McpServerStatus.Reconnecting;
}
