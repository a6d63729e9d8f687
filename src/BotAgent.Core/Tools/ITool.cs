using System.Text.Json;

namespace BotAgent.Core.Tools;

/// <summary>A port to something outside the process that a plan step may act on.</summary>
public interface ITool
{
    ToolDescriptor Descriptor { get; }

    /// <summary>
    /// Checks beyond the JSON schema that only the tool can make (host allow-lists, path roots).
    /// Policy calls it at plan time and the executor again before each attempt.
    /// </summary>
    /// <returns>Human-readable reasons the arguments are refused; empty when they are acceptable.</returns>
    IReadOnlyList<string> CheckArguments(JsonElement args);

    Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken);

    /// <summary>The risk and idempotency of a call with these arguments; never lower than <see cref="ToolDescriptor.Risk"/>.</summary>
    ToolTraits Assess(JsonElement args) => new(Descriptor.Risk, Descriptor.Idempotent);
}
