namespace BotAgent.Core.Traces;

/// <summary>The names of trace events, so readers and writers agree.</summary>
public static class TraceTypes
{
    public const string GoalReceived = "goal.received";
    public const string ModelCall = "model.call";
    public const string ModelError = "model.error";
    public const string PlanValidation = "plan.validation";
    public const string PlanProposed = "plan.proposed";
    public const string PlanNotMade = "plan.not_made";
    public const string PolicyVerdict = "policy.verdict";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecision = "approval.decision";
    public const string ApprovalRefused = "approval.refused";
    public const string RunExpired = "run.expired";
    public const string ApprovalReminded = "approval.reminded";
    public const string RunResumed = "run.resumed";
    public const string AttemptInterrupted = "attempt.interrupted";
    public const string DecisionRequested = "decision.requested";
    public const string StepResolved = "step.resolved";
    public const string RunStarted = "run.started";
    public const string StepStarted = "step.started";
    public const string StepRefused = "step.refused";
    public const string AttemptFinished = "attempt.finished";
    public const string StepFinished = "step.finished";
    public const string RunFinished = "run.finished";
    public const string StepOutsideEnvelope = "step.outside_envelope";
    public const string StepObserved = "step.observed";
    public const string StepSkipped = "step.skipped";
    public const string ObservationRequested = "observation.requested";
    public const string ObservationAnswered = "observation.answered";
    public const string RevisionRequested = "plan.revision.requested";
    public const string PlanRevised = "plan.revised";
    public const string PlanNotRevised = "plan.not_revised";
    public const string GoalJudged = "goal.judged";
}
