namespace BotAgent.Core.Planning;

/// <summary>
/// Turns a goal into a proposed plan, revises it when execution reveals something, and writes the run's
/// summary. Implementations: the offline planner (playbooks and typed steps) and the LLM planner. A plan
/// is only a proposal: every plan and revision passes policy before anything runs.
/// </summary>
public interface IPlanner
{
    Task<PlanningOutcome> PlanAsync(PlanningRequest request, CancellationToken cancellationToken);

    /// <summary>A revised plan for the rest of the work, given what happened so far; not planned when there is no better plan.</summary>
    Task<PlanningOutcome> ReviseAsync(RevisionRequest request, CancellationToken cancellationToken);

    Task<string> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken);
}
