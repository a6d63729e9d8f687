using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>
/// Every run port in memory, with the same rules as the database stores: transitions only from the expected status
/// and only along the state machine, one decision per person and plan version, quorum counted over distinct
/// approvals of the current version, one run per source key, the first save of a plan version kept, leases held by
/// one owner until they expire, one resolution per attempt. The contract suite in BotAgent.Storage.Tests
/// (Contract/) runs the same cases against this and the SQLite and PostgreSQL stores, so it cannot drift.
/// </summary>
internal sealed partial class InMemoryRunStore(TimeProvider time) : IRunStore, IRunTransitions, IRunLeases, IRunQueries, IRunReminders
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Run> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RunId, int Version), PlanVersion> _plans = [];
    private readonly List<ApprovalDecision> _decisions = [];
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _leases = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reminded = new(StringComparer.Ordinal);
    private readonly List<StepResolution> _resolutions = [];
    private readonly Dictionary<string, string> _cancelRequests = new(StringComparer.Ordinal);

    public IReadOnlyList<ApprovalDecision> Decisions
    {
        get
        {
            lock (_lock)
                return [.. _decisions];
        }
    }

    public Run this[string runId]
    {
        get
        {
            lock (_lock)
                return _runs[runId];
        }
    }

    /// <summary>
    /// Stores <paramref name="run"/> exactly as given, in whatever state it is in: a test's starting point, which
    /// through the ports would take a run of moves. <see cref="CreateAsync"/> keeps only what a new run is made of.
    /// </summary>
    public void Seed(Run run)
    {
        lock (_lock)
            _runs[run.Id] = run;
    }

    /// <summary>How many runs are stored.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _runs.Count;
        }
    }

    /// <summary>Who holds the run's lease and until when; null when nobody does (the lease ended with 'running').</summary>
    public (string Owner, DateTimeOffset Until)? LeaseOf(string runId)
    {
        lock (_lock)
            return _leases.TryGetValue(runId, out var lease) ? lease : null;
    }

    /// <summary>How many plan versions of the run are stored.</summary>
    public int PlanVersionCount(string runId)
    {
        lock (_lock)
            return _plans.Keys.Count(k => k.RunId == runId);
    }

    public Task<Run> CreateAsync(Run run, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (run.SourceKey is not null && _runs.Values.FirstOrDefault(r => r.SourceKey == run.SourceKey) is { } existing)
                return Task.FromResult(existing);
            // As the databases do: only what a new run is made of is stored (the rest comes with its moves), and a
            // second run with an existing id leaves the first in place.
            _runs.TryAdd(run.Id, new Run
            {
                Id = run.Id,
                Status = run.Status,
                Goal = run.Goal,
                Requester = run.Requester,
                Conversation = run.Conversation,
                CreatedAt = run.CreatedAt,
                UpdatedAt = run.UpdatedAt,
                SourceKey = run.SourceKey,
            });
            return Task.FromResult(run);
        }
    }

    public Task<Run?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_runs.GetValueOrDefault(runId));
    }

    public Task<bool> SavePlanAsync(string runId, PlanVersion plan, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var stored = !_plans.ContainsKey((runId, plan.Version));
            if (stored)
                _plans[(runId, plan.Version)] = plan;
            var kept = _plans[(runId, plan.Version)];
            var run = _runs[runId];
            _runs[runId] = run with
            {
                PlanVersion = kept.Version,
                PlanHash = kept.Hash,
                RiskLevel = kept.Hash == plan.Hash ? plan.Plan.RiskLevel : run.RiskLevel,
                UpdatedAt = plan.CreatedAt,
            };
            return Task.FromResult(stored);
        }
    }

    public Task<PlanVersion?> GetPlanAsync(string runId, int version, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_plans.GetValueOrDefault((runId, version)));
    }

    public Task SetActivityAsync(string runId, string? activity, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_runs.TryGetValue(runId, out var run))
                _runs[runId] = run with { Activity = activity };
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApprovalDecision>> GetDecisionsAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<ApprovalDecision>>([.. _decisions.Where(d => d.RunId == runId)]);
    }

    public Task<IReadOnlyList<StepResolution>> GetResolutionsAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<StepResolution>>([.. _resolutions.Where(r => r.RunId == runId)]);
    }

    // No outbox here: nothing is ever behind.
    public Task<IReadOnlyList<string>> CardsBehindAsync(DateTimeOffset since, DateTimeOffset settledBefore, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
