using BotAgent.Core.Planning;

namespace BotAgent.Core.Observation;

public enum RevisionKind
{
    /// <summary>No revision (none allowed, none offered): the run ends with the failure.</summary>
    None,

    /// <summary>A revision that risks no more than what was approved: execution goes on with it.</summary>
    Continue,

    /// <summary>A revision that adds writes or raises risk: back to approval.</summary>
    AwaitApproval,

    /// <summary>Policy refused the revision: the run ends, nothing of it runs.</summary>
    Refused,
}

public sealed record Revision(RevisionKind Kind, PlanVersion? Plan = null, string? Reason = null)
{
    public static readonly Revision NoRevision = new(RevisionKind.None);
}
