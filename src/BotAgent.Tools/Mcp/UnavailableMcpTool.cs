using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;

namespace BotAgent.Tools.Mcp;

/// <summary>
/// Stands for a tool of a server that is down, so a plan or a step that names it is refused with the reason
/// instead of "no such tool". It refuses every argument and every call.
/// </summary>
internal sealed class UnavailableMcpTool(string name, string server, string reason, ToolDescriptor? lastKnown, TimeSpan timeout) : ITool
{
    private static readonly JsonElement AnyObject = JsonDocument.Parse("""{ "type": "object" }""").RootElement.Clone();

    public ToolDescriptor Descriptor { get; } = lastKnown
        ?? new ToolDescriptor(name, $"A tool of MCP server '{server}', which is unavailable.", AnyObject, RiskLevel.High, Idempotent: false, timeout,
            Targets: [ToolTargets.Mcp(server)]);

    public string Reason => $"MCP server '{server}' is unavailable: {reason}";

    public IReadOnlyList<string> CheckArguments(JsonElement args) => [Reason];

    // The same target as the tool when its server is up, so a plan approved then still names what it reaches.
    public IReadOnlyList<string> Targets(JsonElement args) => [ToolTargets.Mcp(server)];

    public Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken) =>
        Task.FromResult(ToolOutcome.Failure(Reason, reason));
}
