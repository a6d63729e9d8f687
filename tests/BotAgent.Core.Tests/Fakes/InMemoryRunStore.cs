using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>
/// An <see cref="IRunStore"/> in memory with the same rules as the SQLite store: transitions only from the
/// expected status and only along the state machine, one decision per person and plan version, quorum counted
/// over distinct approvals of the current version.
/// </summary>
internal sealed class InMemoryRunStore(TimeProvider time) : IRunStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Run> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RunId, int Version), PlanVersion> _plans = [];
    private readonly List<ApprovalDecision> _decisions = [];

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

    public Task CreateAsync(Run run, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_runs.TryAdd(run.Id, run))
                throw new InvalidOperationException($"Run {run.Id} already exists.");
        }
        return Task.CompletedTask;
    }

    public Task<Run?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_runs.GetValueOrDefault(runId));
    }

    public Task SavePlanAsync(string runId, PlanVersion plan, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _plans[(runId, plan.Version)] = plan;
            _runs[runId] = _runs[runId] with { PlanVersion = plan.Version, PlanHash = plan.Hash, UpdatedAt = time.GetUtcNow() };
        }
        return Task.CompletedTask;
    }

    public Task<PlanVersion?> GetPlanAsync(string runId, int version, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_plans.GetValueOrDefault((runId, version)));
    }

    public Task<bool> TransitionAsync(string runId, RunStatus from, RunStatus to, RunChanges changes, CancellationToken cancellationToken)
    {
        from.EnsureCanMoveTo(to);
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var run) || run.Status != from)
                return Task.FromResult(false);
            _runs[runId] = run with
            {
                Status = to,
                UpdatedAt = time.GetUtcNow(),
                Outcome = changes.Outcome ?? run.Outcome,
                ExpiresAt = changes.ExpiresAt ?? run.ExpiresAt,
                RiskLevel = changes.RiskLevel ?? run.RiskLevel,
                Approval = changes.Approval ?? run.Approval,
            };
            return Task.FromResult(true);
        }
    }

    public Task<DecisionRecord> DecideAsync(ApprovalDecision decision, int quorum, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var run = _runs[decision.RunId];
            if (run.Status != RunStatus.AwaitingApproval || run.PlanHash != decision.PlanHash)
                return Task.FromResult(new DecisionRecord(DecisionRecordKind.NotAwaiting, run.Status, 0));
            if (_decisions.Any(d => d.RunId == decision.RunId && d.PlanVersion == decision.PlanVersion && d.Approver.Id == decision.Approver.Id))
                return Task.FromResult(new DecisionRecord(DecisionRecordKind.Duplicate, run.Status, 0));

            _decisions.Add(decision);
            var approvals = _decisions.Count(d => d.RunId == decision.RunId && d.PlanVersion == decision.PlanVersion && d.Verb == ApprovalVerb.Approve);
            RunStatus? next = decision.Verb == ApprovalVerb.Reject ? RunStatus.Rejected : approvals >= quorum ? RunStatus.Approved : null;
            if (next is not { } target)
                return Task.FromResult(new DecisionRecord(DecisionRecordKind.Counted, run.Status, approvals));

            _runs[run.Id] = run with
            {
                Status = target,
                UpdatedAt = decision.DecidedAt,
                Outcome = target == RunStatus.Rejected ? $"rejected by {decision.Approver.Name}" : run.Outcome,
            };
            return Task.FromResult(new DecisionRecord(DecisionRecordKind.Closed, target, approvals));
        }
    }

    public Task<IReadOnlyList<ApprovalDecision>> GetDecisionsAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<ApprovalDecision>>([.. _decisions.Where(d => d.RunId == runId)]);
    }

    public Task<string?> ClaimApprovedAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var run = _runs.Values.Where(r => r.Status == RunStatus.Approved).OrderBy(r => r.UpdatedAt).FirstOrDefault();
            if (run is null)
                return Task.FromResult<string?>(null);
            _runs[run.Id] = run with { Status = RunStatus.Running, UpdatedAt = time.GetUtcNow() };
            return Task.FromResult<string?>(run.Id);
        }
    }

    public Task<IReadOnlyList<string>> ExpireOverdueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var overdue = _runs.Values.Where(r => r.Status == RunStatus.AwaitingApproval && r.ExpiresAt <= now).Select(r => r.Id).ToList();
            foreach (var id in overdue)
                _runs[id] = _runs[id] with { Status = RunStatus.Expired, UpdatedAt = now, Outcome = "approval expired" };
            return Task.FromResult<IReadOnlyList<string>>(overdue);
        }
    }
}
