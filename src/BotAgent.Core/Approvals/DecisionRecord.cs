using BotAgent.Core.Runs;

namespace BotAgent.Core.Approvals;

public enum DecisionRecordKind
{
    /// <summary>The decision was recorded and the run left awaiting approval (quorum not yet met).</summary>
    Counted,

    /// <summary>The decision was recorded and moved the run (to approved or rejected).</summary>
    Closed,

    /// <summary>This person already decided on this plan version; nothing changed.</summary>
    Duplicate,

    /// <summary>The run is no longer awaiting approval, or the plan changed; nothing recorded.</summary>
    NotAwaiting,
}

/// <summary>What the store did with a decision, and the run's status afterwards.</summary>
public sealed record DecisionRecord(DecisionRecordKind Kind, RunStatus Status, int Approvals);
