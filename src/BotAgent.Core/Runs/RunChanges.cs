using BotAgent.Core.Approvals;

namespace BotAgent.Core.Runs;

/// <summary>Fields written together with a status transition; null leaves a field as it is.</summary>
public sealed record RunChanges(
    string? Outcome = null,
    DateTimeOffset? ExpiresAt = null,
    RiskLevel? RiskLevel = null,
    ApprovalRequirement? Approval = null,
    GoalVerdict? Goal = null)
{
    public static readonly RunChanges None = new();
}
