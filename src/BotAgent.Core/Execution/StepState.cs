using System.Text.Json.Serialization;

namespace BotAgent.Core.Execution;

/// <summary>A step's state as cards show it; attempts end in one of the terminal states.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepState>))]
public enum StepState
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("timed_out")] TimedOut,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("outcome_unknown")] OutcomeUnknown,
    [JsonStringEnumMemberName("skipped")] Skipped,
}
