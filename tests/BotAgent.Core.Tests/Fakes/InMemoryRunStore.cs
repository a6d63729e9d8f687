using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>
/// An <see cref="IRunStore"/> in memory with the same rules as the database stores: transitions only from the
/// expected status and only along the state machine, one decision per person and plan version, quorum counted
/// over distinct approvals of the current version, one run per source key, the first save of a plan version
/// kept, leases held by one owner until they expire, one resolution per attempt.
/// </summary>
internal sealed class InMemoryRunStore(TimeProvider time) : IRunStore, IRunTransitions
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

    public Task<Run> CreateAsync(Run run, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (run.SourceKey is not null && _runs.Values.FirstOrDefault(r => r.SourceKey == run.SourceKey) is { } existing)
                return Task.FromResult(existing);
            if (!_runs.TryAdd(run.Id, run))
                throw new InvalidOperationException($"Run {run.Id} already exists.");
            return Task.FromResult(run);
        }
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
            if (!_plans.TryGetValue((runId, plan.Version), out var kept))
                _plans[(runId, plan.Version)] = kept = plan;
            _runs[runId] = _runs[runId] with { PlanVersion = kept.Version, PlanHash = kept.Hash, UpdatedAt = time.GetUtcNow() };
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
            _leases.Remove(runId); // leaving 'running' ends the lease
            if (changes.ExpiresAt is not null)
                _reminded.Remove(runId); // a new deadline gets its own reminder
            _runs[runId] = run with
            {
                Status = to,
                UpdatedAt = time.GetUtcNow(),
                Outcome = changes.Outcome ?? run.Outcome,
                ExpiresAt = changes.ExpiresAt ?? run.ExpiresAt,
                RiskLevel = changes.RiskLevel ?? run.RiskLevel,
                Approval = changes.Approval ?? run.Approval,
                GoalVerdict = changes.Goal ?? run.GoalVerdict,
                Activity = null,
            };
            return Task.FromResult(true);
        }
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

    public Task<string?> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var run = _runs.Values
                .Where(r => r.Status == RunStatus.Approved || (r.Status == RunStatus.Running && !HasLiveLease(r.Id, now)))
                .OrderBy(r => r.UpdatedAt)
                .FirstOrDefault();
            if (run is null)
                return Task.FromResult<string?>(null);
            _runs[run.Id] = run with { Status = RunStatus.Running, UpdatedAt = now };
            _leases[run.Id] = (owner, leaseUntil);
            return Task.FromResult<string?>(run.Id);
        }
    }

    public Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, IReadOnlyCollection<string> runIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var held = runIds.Where(id => IsRunningFor(id, owner)).ToList();
            foreach (var id in held)
                _leases[id] = (owner, leaseUntil);
            return Task.FromResult<IReadOnlyList<string>>(held);
        }
    }

    public Task ReleaseLeaseAsync(string owner, string runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (IsRunningFor(runId, owner))
                _leases[runId] = (owner, now);
        }
        return Task.CompletedTask;
    }

    public Task<int> ReleaseAllLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var running = _runs.Values.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToList();
            foreach (var id in running)
                _leases[id] = (_leases.TryGetValue(id, out var lease) ? lease.Owner : "", now.AddTicks(-1));
            return Task.FromResult(running.Count);
        }
    }

    public Task<IReadOnlyList<string>> ExpireOverdueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var overdue = _runs.Values.Where(r => r.Status is RunStatus.AwaitingApproval or RunStatus.AwaitingDecision && r.ExpiresAt <= now).Select(r => r.Id).ToList();
            foreach (var id in overdue)
            {
                _runs[id] = _runs[id].Status == RunStatus.AwaitingApproval
                    ? _runs[id] with { Status = RunStatus.Expired, UpdatedAt = now, Outcome = "approval expired" }
                    : _runs[id] with { Status = RunStatus.Cancelled, UpdatedAt = now, Outcome = "stopped: nobody said in time what happened to the step whose outcome was unknown" };
            }
            return Task.FromResult<IReadOnlyList<string>>(overdue);
        }
    }

    public Task<IReadOnlyList<string>> TakeDueRemindersAsync(DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _runs.Values
                .Where(r => r.Status is RunStatus.AwaitingApproval or RunStatus.AwaitingDecision && r.ExpiresAt > now && r.ExpiresAt <= now + window && !_reminded.Contains(r.Id))
                .Select(r => r.Id)
                .ToList();
            _reminded.UnionWith(due);
            return Task.FromResult<IReadOnlyList<string>>(due);
        }
    }

    public Task<bool> ResolveStepAsync(StepResolution resolution, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_runs.TryGetValue(resolution.RunId, out var run) || run.Status != RunStatus.AwaitingDecision
                || _resolutions.Any(r => r.AttemptId == resolution.AttemptId))
                return Task.FromResult(false);
            var stop = resolution.Kind == StepResolutionKind.Stop;
            _resolutions.Add(resolution);
            _runs[run.Id] = run with
            {
                Status = stop ? RunStatus.Cancelled : RunStatus.Approved,
                UpdatedAt = resolution.DecidedAt,
                Outcome = stop ? $"stopped by {resolution.DecidedBy.Name} after step {resolution.StepId}'s outcome was unknown" : run.Outcome,
            };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<StepResolution>> GetResolutionsAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<StepResolution>>([.. _resolutions.Where(r => r.RunId == runId)]);
    }

    public Task<IReadOnlyList<Run>> ListByConversationAsync(string conversationKey, int limit, bool activeOnly, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Run>>([.. _runs.Values
                .Where(r => r.Conversation.OrderingKey == conversationKey && (!activeOnly || !r.Status.IsFinished()))
                .OrderByDescending(r => r.CreatedAt)
                .Take(limit)]);
        }
    }

    public Task<IReadOnlyList<Run>> ListRunsAsync(Traces.RunQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Run>>([.. Matching(query)
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .Skip(query.Offset).Take(query.Limit)]);
        }
    }

    public Task<int> CountRunsAsync(Traces.RunQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(Matching(query).Count());
    }

    private IEnumerable<Run> Matching(Traces.RunQuery query) => _runs.Values.Where(r =>
        (query.Status is null || r.Status == query.Status)
        && (string.IsNullOrWhiteSpace(query.Text) || r.Goal.Contains(query.Text.Trim(), StringComparison.OrdinalIgnoreCase))
        && (query.From is null || r.CreatedAt >= query.From)
        && (query.To is null || r.CreatedAt < query.To));

    public Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var run) || run.Status != RunStatus.Running)
                return Task.FromResult(false);
            _cancelRequests[runId] = requestedBy;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyDictionary<string, string>> GetCancelRequestsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(_cancelRequests
                .Where(c => runIds.Contains(c.Key) && _runs[c.Key].Status == RunStatus.Running)
                .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
        }
    }

    public Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var old = _runs.Values.Where(r => r.Status.IsFinished() && r.UpdatedAt < cutoff).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var id in old)
            {
                _runs.Remove(id);
                _leases.Remove(id);
                _reminded.Remove(id);
            }
            foreach (var key in _plans.Keys.Where(k => old.Contains(k.RunId)).ToList())
                _plans.Remove(key);
            _decisions.RemoveAll(d => old.Contains(d.RunId));
            _resolutions.RemoveAll(r => old.Contains(r.RunId));
            return Task.FromResult(old.Count);
        }
    }

    private bool HasLiveLease(string runId, DateTimeOffset now) =>
        _leases.TryGetValue(runId, out var lease) && lease.Until >= now;

    private bool IsRunningFor(string runId, string owner) =>
        _runs.TryGetValue(runId, out var run) && run.Status == RunStatus.Running
        && _leases.TryGetValue(runId, out var lease) && lease.Owner == owner;
}
