using System.Text.Json;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>A tool that policy and the planner can see but that never runs: planning and policy never invoke tools.</summary>
internal sealed class FakeTool(ToolDescriptor descriptor, params string[] refusals) : ITool
{
    private readonly List<string> _checked = [];

    public ToolDescriptor Descriptor => descriptor;

    /// <summary>The raw JSON of every argument object <see cref="CheckArguments"/> was asked about.</summary>
    public IReadOnlyList<string> Checked => _checked;

    public IReadOnlyList<string> CheckArguments(JsonElement args)
    {
        _checked.Add(args.GetRawText());
        return refusals;
    }

    public Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Planning and policy must never invoke a tool.");
}
