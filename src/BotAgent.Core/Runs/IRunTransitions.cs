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
    /// Moves the run from <paramref name="from"/> to <paramref name="to"/> only if it is still in <paramref name="from"/>,
    /// and queues in the outbox, in the same transaction, what <paramref name="announce"/> builds from the moved run.
    /// </summary>
    /// <returns>The run after the move; null when another writer got there first (nothing is queued then).</returns>
    Task<Run?> TransitionAsync(string runId, RunStatus from, RunStatus to, RunChanges changes, Announcement announce, CancellationToken cancellationToken);

    /// <summary>
    /// Records a decision and applies its effect on the run atomically (see <see cref="DecisionRecord"/>); a decision
    /// that was recorded queues what <paramref name="announce"/> builds from the run in the same transaction.
    /// </summary>
    Task<DecisionRecord> DecideAsync(ApprovalDecision decision, int quorum, Announcement announce, CancellationToken cancellationToken);

    /// <summary>
    /// Runs whose deadline has passed: awaiting approval → expired; awaiting a decision on a step whose outcome is
    /// unknown → cancelled (nobody said what happened). Each run's <paramref name="announce"/> messages are queued in the
    /// same transaction. Returns the runs as they were left.
    /// </summary>
    Task<IReadOnlyList<Run>> ExpireOverdueAsync(DateTimeOffset now, Announcement announce, CancellationToken cancellationToken);

    /// <summary>Records a person's decision on a step whose outcome is unknown and moves the run accordingly, once.</summary>
    /// <returns>False when the step was already resolved or the run is no longer waiting for a decision.</returns>
    /// <param name="announce">What the decision tells the thread, queued in its transaction when it was recorded.</param>
    Task<bool> ResolveStepAsync(StepResolution resolution, Announcement announce, CancellationToken cancellationToken);
}
