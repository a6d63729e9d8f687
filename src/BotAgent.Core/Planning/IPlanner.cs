namespace BotAgent.Core.Planning;

/// <summary>
/// Turns a goal into a proposed plan, looks at results as they come (continue, revise or done), revises the plan
/// when execution reveals something, and writes the run's summary with its goal verdict. Implementations: the
/// offline planner (playbooks and typed steps) and the LLM planner. A plan is only a proposal: every plan and
/// revision passes policy, and runs on only inside what people approved.
/// </summary>
public interface IPlanner
{
    Task<PlanningOutcome> PlanAsync(PlanningRequest request, CancellationToken cancellationToken);

    /// <summary>A revised plan for the rest of the work after a failed step; not planned when there is no better plan.</summary>
    Task<PlanningOutcome> ReviseAsync(RevisionRequest request, CancellationToken cancellationToken);

    /// <summary>After a step that succeeded: go on with the plan, revise it, or stop because the goal is met or cannot be.</summary>
    Task<ObservationAnswer> ObserveAsync(ObservationRequest request, CancellationToken cancellationToken);

    /// <summary>The summary for the thread and, where the planner can judge it, whether the goal was met.</summary>
    Task<RunSummary> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken);
}
