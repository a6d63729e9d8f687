using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>
/// A tool whose arguments decide where it goes, like <c>http.request</c>: it reaches the origin of its <c>url</c>
/// argument, and a call with a <c>method</c> other than GET is a write. Planning and policy never invoke it.
/// </summary>
internal sealed class UrlTool(string name = "http.request", RiskLevel risk = RiskLevel.ReadOnly) : ITool
{
    public ToolDescriptor Descriptor { get; } = TestTools.Describe(
        name,
        risk,
        """
        {
          "type": "object",
          "properties": { "url": { "type": "string", "minLength": 1 }, "method": { "type": "string" } },
          "required": ["url"],
          "additionalProperties": false
        }
        """,
        idempotent: true,
        primaryArgument: "url");

    public IReadOnlyList<string> CheckArguments(JsonElement args) => [];

    public IReadOnlyList<string> Targets(JsonElement args) =>
        args.TryGetProperty("url", out var url) && ToolTargets.OriginOf(url.GetString()) is { } origin ? [origin] : [];

    public ToolTraits Assess(JsonElement args)
    {
        var method = args.TryGetProperty("method", out var m) ? m.GetString() : null;
        var writes = method is not null && !string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase);
        return new(writes ? RiskLevels.Max(RiskLevel.Write, Descriptor.Risk) : Descriptor.Risk, !writes);
    }

    public Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Planning and policy must never invoke a tool.");
}
