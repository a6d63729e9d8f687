using BotAgent.Core.Runs;

namespace BotAgent.Core.Traces;

/// <summary>
/// The one-line answer to "what went wrong?": was the plan wrong, did policy or a person stop it, or did
/// execution fail? Derived from the run's end state and reason, so chat, cards and the viewer agree.
/// </summary>
public enum RunVerdict
{
    InProgress,
    Succeeded,
    PlanningFailure,
    PolicyRefusal,
    HumanRejection,
    Expired,
    ExecutionFailure,
    Cancelled,
}

public static class RunVerdicts
{
    public static RunVerdict Of(Run run) => run.Status switch
    {
        RunStatus.Succeeded => RunVerdict.Succeeded,
        RunStatus.PolicyDenied => RunVerdict.PolicyRefusal,
        RunStatus.Rejected => RunVerdict.HumanRejection,
        RunStatus.Expired => RunVerdict.Expired,
        RunStatus.Cancelled => RunVerdict.Cancelled,
        RunStatus.Failed when run.Outcome?.StartsWith("planning failed", StringComparison.Ordinal) == true => RunVerdict.PlanningFailure,
        RunStatus.Failed => RunVerdict.ExecutionFailure,
        _ => RunVerdict.InProgress,
    };

    public static string Describe(this RunVerdict verdict) => verdict switch
    {
        RunVerdict.Succeeded => "succeeded",
        RunVerdict.PlanningFailure => "planning failure",
        RunVerdict.PolicyRefusal => "policy refusal",
        RunVerdict.HumanRejection => "human rejection",
        RunVerdict.Expired => "expired",
        RunVerdict.ExecutionFailure => "execution failure",
        RunVerdict.Cancelled => "cancelled",
        _ => "in progress",
    };
}
