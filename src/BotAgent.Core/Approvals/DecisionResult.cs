using BotAgent.Core.Runs;

namespace BotAgent.Core.Approvals;

public enum DecisionResultKind
{
    /// <summary>Quorum met: the run is approved and queued for execution.</summary>
    Approved,

    /// <summary>Counted; more approvals are needed.</summary>
    Counted,

    Rejected,

    /// <summary>The card shows an older plan version than the run's current one.</summary>
    Stale,

    /// <summary>The clicker may not make this decision.</summary>
    NotAllowed,

    /// <summary>The clicker already decided on this plan version.</summary>
    AlreadyDecided,

    /// <summary>The run is past approval (approved, running, finished).</summary>
    Closed,

    Expired,

    UnknownRun,

    /// <summary>A person decided about a step whose outcome was unknown (mark done, retry, stop).</summary>
    Resolved,
}

/// <summary>The answer to a click. <see cref="Message"/> tells the clicker what happened and why.</summary>
public sealed record DecisionResult(DecisionResultKind Kind, string Message, Run? Run)
{
    /// <summary>The click changed the run (the card must be refreshed for everyone).</summary>
    public bool ChangedRun => Kind is DecisionResultKind.Approved or DecisionResultKind.Counted or DecisionResultKind.Rejected
        or DecisionResultKind.Expired or DecisionResultKind.Resolved;
}
