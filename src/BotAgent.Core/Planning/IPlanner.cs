namespace BotAgent.Core.Planning;

/// <summary>
/// Turns a goal into a proposed plan, and a finished run into a summary. Implementations: the offline
/// planner (playbooks and typed steps) and the LLM planner. A plan is only a proposal: policy checks it.
/// </summary>
public interface IPlanner
{
    Task<PlanningOutcome> PlanAsync(PlanningRequest request, CancellationToken cancellationToken);

    Task<string> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken);
}
