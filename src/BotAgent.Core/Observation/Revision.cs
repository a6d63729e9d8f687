using BotAgent.Core.Planning;

namespace BotAgent.Core.Observation;

public enum RevisionKind
{
    /// <summary>No revision (none allowed, none offered): the run ends with the failure.</summary>
    None,

    /// <summary>A revision inside the envelope people approved: execution goes on with it, announced in the thread.</summary>
    Continue,

    /// <summary>A revision that goes beyond the approved envelope (or a step that no longer fits it): back to approval.</summary>
    AwaitApproval,

    /// <summary>Policy refused the revision: nothing of it runs.</summary>
    Refused,
}

public sealed record Revision(RevisionKind Kind, PlanVersion? Plan = null, string? Reason = null)
{
    public static readonly Revision NoRevision = new(RevisionKind.None);
}
