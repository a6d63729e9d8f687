using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>
/// A tool bound to targets configuration fixes (an MCP server, SQL connections): every call reaches
/// <see cref="Reaches"/> and carries <see cref="Risk"/>, both listed in its descriptor. A test may change them
/// between calls, as an MCP server may change its tool annotations after a plan was approved.
/// </summary>
internal sealed class ServerTool(string name, RiskLevel risk, params string[] targets) : ITool
{
    private static readonly JsonElement AnyObject = JsonDocument.Parse("""{ "type": "object" }""").RootElement.Clone();

    public RiskLevel Risk { get; set; } = risk;

    public IReadOnlyList<string> Reaches { get; set; } = targets;

    public ToolDescriptor Descriptor =>
        new(name, $"Test tool {name}.", AnyObject, Risk, Idempotent: true, TimeSpan.FromSeconds(10), Targets: Reaches);

    public IReadOnlyList<string> CheckArguments(JsonElement args) => [];

    public IReadOnlyList<string> Targets(JsonElement args) => Reaches;

    public ToolTraits Assess(JsonElement args) => new(Risk, Idempotent: true);

    public Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Planning and policy must never invoke a tool.");
}
