using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;

namespace BotAgent.Core.Runs;

/// <summary>
/// The storage operations that move a run between states. Only <see cref="RunJournal"/> uses them, so that every
/// move is traced, logged, counted and shown the same way (a test checks nothing else takes this port).
/// </summary>
public interface IRunTransitions
{
    /// <summary>
    /// Moves the run from <paramref name="from"/> to <paramref name="to"/> only if it is still in
    /// <paramref name="from"/>; false when another writer got there first.
    /// </summary>
    Task<bool> TransitionAsync(string runId, RunStatus from, RunStatus to, RunChanges changes, CancellationToken cancellationToken);

    /// <summary>Records a decision and applies its effect on the run atomically (see <see cref="DecisionRecord"/>).</summary>
    Task<DecisionRecord> DecideAsync(ApprovalDecision decision, int quorum, CancellationToken cancellationToken);

    /// <summary>
    /// Runs whose deadline has passed: awaiting approval → expired; awaiting a decision on a step whose outcome is
    /// unknown → cancelled (nobody said what happened). Returns their ids.
    /// </summary>
    Task<IReadOnlyList<string>> ExpireOverdueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a person's decision on a step whose outcome is unknown and moves the run accordingly, once.</summary>
    /// <returns>False when the step was already resolved or the run is no longer waiting for a decision.</returns>
    Task<bool> ResolveStepAsync(StepResolution resolution, CancellationToken cancellationToken);
}
