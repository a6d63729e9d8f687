using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Fakes;

internal sealed partial class InMemoryRunStore
{
    public Task<Run?> TransitionAsync(string runId, RunStatus from, RunStatus to, RunChanges changes, Announcement announce, CancellationToken cancellationToken)
    {
        from.EnsureCanMoveTo(to);
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var run) || run.Status != from
                || changes.HeldBy is not null && (!_leases.TryGetValue(runId, out var lease) || lease.Owner != changes.HeldBy))
                return Task.FromResult<Run?>(null);
            var moved = run with
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
            // Built before anything changes: an announcement that throws leaves the run where it was, as the store's
            // transaction does.
            var messages = announce(moved);
            _leases.Remove(runId); // leaving 'running' ends the lease
            if (changes.ExpiresAt is not null)
                _reminded.Remove(runId); // a new deadline gets its own reminder
            _runs[runId] = moved;
            if (changes.InterruptedAttempts is { } summary)
                Attempts?.Interrupt(runId, summary, moved.UpdatedAt);
            Announced(messages);
            return Task.FromResult<Run?>(moved);
        }
    }

    public Task<DecisionRecord> DecideAsync(ApprovalDecision decision, int quorum, Announcement announce, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var run = _runs[decision.RunId];
            if (run.Status != RunStatus.AwaitingApproval || run.PlanHash != decision.PlanHash)
                return Task.FromResult(new DecisionRecord(DecisionRecordKind.NotAwaiting, run.Status, 0));
            if (_decisions.Any(d => d.RunId == decision.RunId && d.PlanVersion == decision.PlanVersion && d.Approver.Id == decision.Approver.Id))
                return Task.FromResult(new DecisionRecord(DecisionRecordKind.Duplicate, run.Status, 0));

            var approvals = _decisions.Count(d => d.RunId == decision.RunId && d.PlanVersion == decision.PlanVersion && d.Verb == ApprovalVerb.Approve)
                + (decision.Verb == ApprovalVerb.Approve ? 1 : 0);
            RunStatus? next = decision.Verb == ApprovalVerb.Reject ? RunStatus.Rejected : approvals >= quorum ? RunStatus.Approved : null;
            var decided = next is { } target
                ? run with { Status = target, UpdatedAt = decision.DecidedAt, Outcome = target == RunStatus.Rejected ? $"rejected by {decision.Approver.Name}" : null }
                : run;
            // Built before anything changes, as the store's transaction would undo it all.
            var messages = announce(decided);
            _decisions.Add(decision);
            _runs[run.Id] = decided;
            Announced(messages);
            return Task.FromResult(next is { } closed
                ? new DecisionRecord(DecisionRecordKind.Closed, closed, approvals)
                : new DecisionRecord(DecisionRecordKind.Counted, run.Status, approvals));
        }
    }

    public Task<IReadOnlyList<Run>> ExpireOverdueAsync(DateTimeOffset now, Announcement announce, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var overdue = _runs.Values.Where(r => r.Status is RunStatus.AwaitingApproval or RunStatus.AwaitingDecision && r.ExpiresAt <= now).ToList();
            List<Run> ended = [];
            foreach (var run in overdue)
            {
                var moved = run.Status == RunStatus.AwaitingApproval
                    ? run with { Status = RunStatus.Expired, UpdatedAt = now, Outcome = "approval expired" }
                    : run with { Status = RunStatus.Cancelled, UpdatedAt = now, Outcome = "stopped: nobody said in time what happened to the step whose outcome was unknown" };
                // One run at a time, as the store's one write per run: built before it is stored.
                var messages = announce(moved);
                _runs[run.Id] = moved;
                Announced(messages);
                ended.Add(moved);
            }
            return Task.FromResult<IReadOnlyList<Run>>(ended);
        }
    }

    /// <summary>Where a move's announcements go (the test's outbox); dropped when none is set.</summary>
    public IOutbox? Outbox { get; set; }

    /// <summary>The attempts a move that ends interrupted attempts reaches, as the store's one transaction does.</summary>
    public InMemoryStepAttemptStore? Attempts { get; set; }

    private void Announced(IReadOnlyList<OutboundMessage> messages)
    {
        foreach (var message in messages)
            Outbox?.EnqueueAsync(message, time.GetUtcNow(), CancellationToken.None).GetAwaiter().GetResult();
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

    public Task<bool> ResolveStepAsync(StepResolution resolution, Announcement announce, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_runs.TryGetValue(resolution.RunId, out var run) || run.Status != RunStatus.AwaitingDecision
                || _resolutions.Any(r => r.AttemptId == resolution.AttemptId))
                return Task.FromResult(false);
            var stop = resolution.Kind == StepResolutionKind.Stop;
            var resolved = run with
            {
                Status = stop ? RunStatus.Cancelled : RunStatus.Approved,
                UpdatedAt = resolution.DecidedAt,
                Outcome = stop ? $"stopped by {resolution.DecidedBy.Name} after step {resolution.StepId}'s outcome was unknown" : run.Outcome,
            };
            var messages = announce(resolved);
            _resolutions.Add(resolution);
            _runs[run.Id] = resolved;
            Announced(messages);
            return Task.FromResult(true);
        }
    }
}
