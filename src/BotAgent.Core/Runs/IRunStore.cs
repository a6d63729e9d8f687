using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;

namespace BotAgent.Core.Runs;

/// <summary>Storage port for runs, their plan versions and approval decisions.</summary>
public interface IRunStore
{
    Task CreateAsync(Run run, CancellationToken cancellationToken);

    Task<Run?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Stores a plan version and makes it the run's current plan.</summary>
    Task SavePlanAsync(string runId, PlanVersion plan, CancellationToken cancellationToken);

    Task<PlanVersion?> GetPlanAsync(string runId, int version, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the run from <paramref name="from"/> to <paramref name="to"/> only if it is still in
    /// <paramref name="from"/>; false when another writer got there first.
    /// </summary>
    Task<bool> TransitionAsync(string runId, RunStatus from, RunStatus to, RunChanges changes, CancellationToken cancellationToken);

    /// <summary>Records a decision and applies its effect on the run atomically (see <see cref="DecisionRecord"/>).</summary>
    Task<DecisionRecord> DecideAsync(ApprovalDecision decision, int quorum, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApprovalDecision>> GetDecisionsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Claims one approved run for execution by <paramref name="owner"/> (approved → running).</summary>
    Task<string?> ClaimApprovedAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Moves runs whose approval window has passed to expired; returns their ids.</summary>
    Task<IReadOnlyList<string>> ExpireOverdueAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
