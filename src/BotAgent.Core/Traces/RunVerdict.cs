using BotAgent.Core.Runs;

namespace BotAgent.Core.Traces;

/// <summary>
/// The one-line answer to "what went wrong?": was the plan wrong, did policy or a person stop it, or did
/// execution fail? Derived from the run's end state, reason and goal verdict, so chat, cards and the viewer agree.
/// </summary>
public enum RunVerdict
{
    InProgress,
    Succeeded,

    /// <summary>Every step that ran succeeded, but the results show the goal was not met: a planning problem.</summary>
    GoalNotMet,
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
        RunStatus.Succeeded when run.GoalVerdict?.Verdict == GoalStatus.NotMet => RunVerdict.GoalNotMet,
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
        RunVerdict.GoalNotMet => "goal not met",
        RunVerdict.PlanningFailure => "planning failure",
        RunVerdict.PolicyRefusal => "policy refusal",
        RunVerdict.HumanRejection => "human rejection",
        RunVerdict.Expired => "expired",
        RunVerdict.ExecutionFailure => "execution failure",
        RunVerdict.Cancelled => "cancelled",
        _ => "in progress",
    };
}
