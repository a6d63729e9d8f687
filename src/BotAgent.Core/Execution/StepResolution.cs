using System.Text.Json.Serialization;
using BotAgent.Core.Intake;

namespace BotAgent.Core.Execution;

[JsonConverter(typeof(JsonStringEnumConverter<StepResolutionKind>))]
public enum StepResolutionKind
{
    /// <summary>The person checked: the write happened. The step counts as succeeded.</summary>
    [JsonStringEnumMemberName("done")] Done,

    /// <summary>The person checked: it did not happen (or is safe to repeat). Run the step again.</summary>
    [JsonStringEnumMemberName("retry")] Retry,

    /// <summary>Stop the run here.</summary>
    [JsonStringEnumMemberName("stop")] Stop,
}

/// <summary>A person's decision about an attempt whose outcome is unknown.</summary>
public sealed record StepResolution(string RunId, long AttemptId, string StepId, StepResolutionKind Kind, Member DecidedBy, DateTimeOffset DecidedAt);
