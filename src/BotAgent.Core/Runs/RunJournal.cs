using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging;

namespace BotAgent.Core.Runs;

/// <summary>
/// The one place a run moves between states, and does what every move needs: the store, the trace, and for a run
/// that ends the log line and its count in <c>botagent.runs.finished</c>. What a move (or an expiry) tells the thread
/// and its card refresh are queued in the move's own transaction, and so are a decision's.
/// Every way a run can end passes here (the store's transitions are reachable through <see cref="IRunTransitions"/>
/// only, which nothing else takes), so every end is counted by construction.
/// </summary>
public sealed class RunJournal(IRunTransitions transitions, ITraceSink traces, WorkSignals signals, BotInstance instance, ILogger<RunJournal> logger)
{
    /// <returns>The run after the move, or null when it was no longer in <see cref="RunMove.From"/> (someone else moved it).</returns>
    public async Task<Run?> MoveAsync(RunMove move, CancellationToken cancellationToken)
    {
        // What the thread is told is queued with the move, in one transaction: a process stopped between two writes
        // used to leave a run waiting for approval with no card to approve it on (found by the chaos harness).
        // Only the lease holder moves a running run: an instance that stalled past its lease (another took the run over)
        // must not finish it, or send it to people, while the new holder runs its steps.
        var changes = move.From == RunStatus.Running && move.Changes.HeldBy is null ? move.Changes with { HeldBy = instance.Id } : move.Changes;
        var run = await transitions.TransitionAsync(move.RunId, move.From, move.To, changes, moved =>
            [.. move.Announce?.Invoke(moved) ?? [], .. move.RefreshCard ? Reporter.CardRefresh(moved) : []], cancellationToken);
        if (run is null)
            return null;
        // The move's event before the wake-up: on SQLite it then commits before the dispatcher's claim of what the
        // move queued, so whoever sees the message can read the event.
        // The move committed: its event is written even if the caller is being cancelled, and a failure to write it is
        // logged, not thrown at a caller that would take the move for undone. What it queued goes out, an end is counted.
        if (move.Trace is { } trace)
            await RecordAsync(move.RunId, move.To, () => TraceAsync(move.RunId, trace, CancellationToken.None));
        signals.Outbox.Set();
        if (move.To.IsFinished())
            Ended(move.RunId, move.CountAs ?? move.To.ToWire());
        return run;
    }

    /// <summary>Records a plan decision, with the card refresh it needs; a rejection that closes the run is its end.</summary>
    public async Task<DecisionRecord> DecideAsync(ApprovalDecision decision, int quorum, CancellationToken cancellationToken)
    {
        var record = await transitions.DecideAsync(decision, quorum, decided => Reporter.CardRefresh(decided), cancellationToken);
        if (record.Kind is DecisionRecordKind.Counted or DecisionRecordKind.Closed)
            signals.Outbox.Set();
        if (record is { Kind: DecisionRecordKind.Closed, Status: RunStatus.Rejected })
            Ended(decision.RunId, RunStatus.Rejected.ToWire());
        return record;
    }

    /// <summary>Records a step decision and what it tells the thread (with the card refresh); "stop" ends the run.</summary>
    public async Task<bool> ResolveStepAsync(StepResolution resolution, Announcement announce, CancellationToken cancellationToken)
    {
        if (!await transitions.ResolveStepAsync(resolution, resolved => [.. announce(resolved), .. Reporter.CardRefresh(resolved)], cancellationToken))
            return false;
        signals.Outbox.Set();
        if (resolution.Kind == StepResolutionKind.Stop)
            Ended(resolution.RunId, RunStatus.Cancelled.ToWire());
        return true;
    }

    /// <summary>
    /// Ends runs whose deadline passed: a plan nobody approved in time expires; a run nobody told what happened to a
    /// step whose outcome was unknown stops, and says so in the thread.
    /// </summary>
    public async Task ExpireOverdueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ended = await transitions.ExpireOverdueAsync(now, static run => run.Status == RunStatus.Cancelled
            ?
            [
                Reporter.SummaryPost(run, RunStatus.Cancelled, "Stopped: nobody said in time what happened to the step whose outcome was unknown. Check it by hand before running the goal again.", []),
                .. Reporter.CardRefresh(run),
            ]
            : Reporter.CardRefresh(run), cancellationToken);
        foreach (var run in ended)
        {
            logger.RunExpired(run.Id);
            await RecordAsync(run.Id, run.Status, () => traces.ExecutionAsync(run.Id, TraceTypes.RunExpired, null, null, null, CancellationToken.None));
            Ended(run.Id, run.Status.ToWire());
        }
        if (ended.Count > 0)
            signals.Outbox.Set();
    }

    /// <summary>Writes the event of a move that committed; a failure is logged (the event is missing from the trace).</summary>
    private async Task RecordAsync(string runId, RunStatus status, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception error)
        {
            logger.MoveTraceFailed(runId, status.ToWire(), error);
        }
    }

    private Task TraceAsync(string runId, RunTrace trace, CancellationToken cancellationToken) => trace.Planning
        ? traces.PlanningAsync(runId, trace.Type, trace.Data, cancellationToken)
        : traces.ExecutionAsync(runId, trace.Type, trace.StepId, null, trace.Data, cancellationToken);

    private void Ended(string runId, string outcome)
    {
        logger.RunFinished(runId, outcome);
        Telemetry.RunsFinished.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }
}
