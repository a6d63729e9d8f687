using BotAgent.Core.Planning;

namespace BotAgent.Core.Observation;

public enum AfterStepKind
{
    /// <summary>Run the next step of the plan.</summary>
    Continue,

    /// <summary>Go on with a revised plan inside the approved envelope.</summary>
    Revised,

    /// <summary>The run waits for people (a revision or a step outside the approved envelope).</summary>
    Waiting,

    /// <summary>The run ends here: a failure with no way on, or the goal is already decided (the rest is skipped).</summary>
    Finish,
}

/// <summary>What the observer decided after a step.</summary>
/// <param name="Failure">Why the run failed, when it ended because a revision was refused.</param>
/// <param name="StoppedBecause">Why the remaining steps are skipped, when the goal was decided early.</param>
public sealed record AfterStep(AfterStepKind Kind, PlanVersion? Plan = null, string? Failure = null, string? StoppedBecause = null)
{
    public static readonly AfterStep Continue = new(AfterStepKind.Continue);
    public static readonly AfterStep Waiting = new(AfterStepKind.Waiting);
    public static readonly AfterStep Finish = new(AfterStepKind.Finish);

    public static AfterStep From(Revision revision) => revision.Kind switch
    {
        RevisionKind.Continue => new(AfterStepKind.Revised, revision.Plan),
        RevisionKind.AwaitApproval => Waiting,
        RevisionKind.Refused => new(AfterStepKind.Finish, Failure: revision.Reason),
        _ => Finish,
    };
}
