using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;

namespace BotAgent.Core.Runs;

/// <summary>One goal's journey from planning to its end. The store row is authoritative; this is a snapshot.</summary>
public sealed record Run
{
    public required string Id { get; init; }
    public required RunStatus Status { get; init; }
    public required string Goal { get; init; }
    public required Member Requester { get; init; }
    public required ConversationKey Conversation { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Current plan version (0 before the first plan).</summary>
    public int PlanVersion { get; init; }
    public string? PlanHash { get; init; }
    public RiskLevel? RiskLevel { get; init; }
    public ApprovalRequirement? Approval { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Why the run ended the way it did, in one line (shown on the card and in traces).</summary>
    public string? Outcome { get; init; }

    /// <summary>Whether the goal was met, once the run has finished executing; null before, and for runs that never ran.</summary>
    public GoalVerdict? GoalVerdict { get; init; }

    /// <summary>What is being done for the run right now that people cannot see otherwise ("Looking at the results of step 2…").</summary>
    public string? Activity { get; init; }

    /// <summary>The inbound activity or event that asked for this run: processing it twice finds this run.</summary>
    public string? SourceKey { get; init; }
}
