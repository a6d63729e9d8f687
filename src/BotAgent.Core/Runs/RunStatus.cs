using System.Text.Json.Serialization;

namespace BotAgent.Core.Runs;

[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("planning")] Planning,
    [JsonStringEnumMemberName("awaiting_approval")] AwaitingApproval,
    [JsonStringEnumMemberName("approved")] Approved,
    [JsonStringEnumMemberName("running")] Running,

    /// <summary>A write was in flight when its instance died: a person decides (mark done, retry, stop).</summary>
    [JsonStringEnumMemberName("awaiting_decision")] AwaitingDecision,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("expired")] Expired,
    [JsonStringEnumMemberName("policy_denied")] PolicyDenied,
}
