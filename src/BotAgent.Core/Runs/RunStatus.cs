using System.Text.Json.Serialization;

namespace BotAgent.Core.Runs;

[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("planning")] Planning,
    [JsonStringEnumMemberName("awaiting_approval")] AwaitingApproval,
    [JsonStringEnumMemberName("approved")] Approved,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("expired")] Expired,
    [JsonStringEnumMemberName("policy_denied")] PolicyDenied,
}
