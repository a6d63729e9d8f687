using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Traces;

namespace BotAgent.Core.Runs;

/// <summary>Storage port for runs, their plan versions, approval decisions and leases. What moves a run between states is <see cref="IRunTransitions"/>.</summary>
public interface IRunStore
{
    /// <summary>Stores a new run; if a run with the same <see cref="Run.SourceKey"/> exists, returns that one instead.</summary>
    Task<Run> CreateAsync(Run run, CancellationToken cancellationToken);

    Task<Run?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Stores a plan version (once: a second save of the same version keeps the first) and makes it current.</summary>
    Task SavePlanAsync(string runId, PlanVersion plan, CancellationToken cancellationToken);

    /// <summary>Says on the run what is being done for it right now (null: nothing worth showing); shown on its card.</summary>
    Task SetActivityAsync(string runId, string? activity, CancellationToken cancellationToken);

    Task<PlanVersion?> GetPlanAsync(string runId, int version, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApprovalDecision>> GetDecisionsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims one run for execution by <paramref name="owner"/>: an approved run, or a running one whose
    /// lease expired (its instance died). The run is running and leased to the owner afterwards.
    /// </summary>
    Task<string?> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Extends the leases <paramref name="owner"/> still holds; returns the runs it still holds.</summary>
    Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, IReadOnlyCollection<string> runIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Hands a running run back (graceful shutdown): any instance may claim it at once.</summary>
    Task ReleaseLeaseAsync(string owner, string runId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Expires every lease (one-instance databases, at start: whoever held them is gone).</summary>
    Task<int> ReleaseAllLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Runs awaiting approval or a decision whose deadline falls within <paramref name="window"/> and that were not
    /// reminded of it yet (a new deadline, set by a transition, gets its own reminder); marks them reminded.
    /// </summary>
    Task<IReadOnlyList<string>> TakeDueRemindersAsync(DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken);

    Task<IReadOnlyList<StepResolution>> GetResolutionsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The most recent runs of one conversation (<see cref="Intake.ConversationKey.OrderingKey"/>), newest first.</summary>
    Task<IReadOnlyList<Run>> ListByConversationAsync(string conversationKey, int limit, bool activeOnly, CancellationToken cancellationToken);

    /// <summary>Runs matching <paramref name="query"/>, newest first, one page of them (the trace viewer, the export).</summary>
    Task<IReadOnlyList<Run>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>How many runs match <paramref name="query"/>, ignoring its offset and limit.</summary>
    Task<int> CountRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Asks a running run to stop at its next checkpoint; false if it is not running.</summary>
    Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="runIds"/>, the running ones someone asked to cancel, with who asked.</summary>
    Task<IReadOnlyDictionary<string, string>> GetCancelRequestsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken);

    /// <summary>Deletes finished runs (and everything recorded about them) last updated before <paramref name="cutoff"/>.</summary>
    Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
