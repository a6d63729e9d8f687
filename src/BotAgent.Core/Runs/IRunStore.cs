using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;

namespace BotAgent.Core.Runs;

/// <summary>
/// Storage port for one run at a time: the run, its plan versions, what is being done for it, and the decisions and
/// resolutions recorded about it. What moves a run between states is <see cref="IRunTransitions"/>; claims and
/// leases are <see cref="IRunLeases"/>, lists <see cref="IRunQueries"/>, reminders <see cref="IRunReminders"/>.
/// </summary>
public interface IRunStore
{
    /// <summary>Stores a new run; if a run with the same <see cref="Run.SourceKey"/> exists, returns that one instead.</summary>
    Task<Run> CreateAsync(Run run, CancellationToken cancellationToken);

    Task<Run?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Stores a plan version (once: a second save of the same version keeps the first) and makes it current.</summary>
    /// <returns>True when this call stored it; false when the version was there already (read it back to see which).</returns>
    Task<bool> SavePlanAsync(string runId, PlanVersion plan, CancellationToken cancellationToken);

    /// <summary>Says on the run what is being done for it right now (null: nothing worth showing); shown on its card.</summary>
    Task SetActivityAsync(string runId, string? activity, CancellationToken cancellationToken);

    Task<PlanVersion?> GetPlanAsync(string runId, int version, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApprovalDecision>> GetDecisionsAsync(string runId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StepResolution>> GetResolutionsAsync(string runId, CancellationToken cancellationToken);
}
