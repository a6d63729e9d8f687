using BotAgent.Core.Approvals;

namespace BotAgent.Core.Runs;

/// <summary>Fields written together with a status transition; null leaves a field as it is.</summary>
/// <param name="HeldBy">Moves the run only while this instance holds its lease (a run another instance took over is not this one's to move).
/// <see cref="RunJournal"/> sets it to this instance for every move out of Running that does not name one.</param>
/// <param name="InterruptedAttempts">
/// Ends the run's attempts still 'running' as outcome unknown, with this summary, in the move's transaction: nothing
/// resumes a run that ended, so an attempt its end cut off would otherwise say 'running' for good.
/// </param>
public sealed record RunChanges(
    string? Outcome = null,
    DateTimeOffset? ExpiresAt = null,
    RiskLevel? RiskLevel = null,
    ApprovalRequirement? Approval = null,
    GoalVerdict? Goal = null,
    string? HeldBy = null,
    string? InterruptedAttempts = null)
{
    public static readonly RunChanges None = new();
}
