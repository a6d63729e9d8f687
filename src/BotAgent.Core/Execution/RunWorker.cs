using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Execution;

/// <summary>
/// Claims approved runs (and runs whose instance died) and executes them, a bounded number at a time,
/// renewing their leases; expires and reminds plans waiting for approval. Waiting for approval is
/// stored state: it costs no thread here. On shutdown it stops claiming, lets steps in flight finish
/// within the host's shutdown timeout, and hands unfinished runs back.
/// </summary>
public sealed class RunWorker(
    IRunLeases runs,
    RunExecutor executor,
    RunFinisher finisher,
    ApprovalTimers timers,
    WorkSignals signals,
    BotInstance instance,
    TimeProvider time,
    IOptions<ExecutionOptions> options,
    ILogger<RunWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TimerSweep = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, RunningRun> _running = new(StringComparer.Ordinal);

    /// <summary>A run this instance is executing, and the ways it can be stopped early.</summary>
    private sealed class RunningRun
    {
        public Task Task { get; set; } = Task.CompletedTask;
        public CancellationTokenSource LeaseLost { get; } = new();
        public CancellationTokenSource Cancelled { get; } = new();
        public string? CancelledBy { get; set; }
    }
    private readonly CancellationTokenSource _abort = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host's shutdown timeout: steps still in flight when it passes are cancelled and checkpointed.
        await using var registration = cancellationToken.Register(_abort.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = time.GetUtcNow();
        var nextRenewal = time.GetUtcNow() + RenewEvery;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    Reap();
                    var now = time.GetUtcNow();
                    if (now >= nextRenewal)
                    {
                        await RenewAsync(stoppingToken);
                        nextRenewal = now + RenewEvery;
                    }
                    await ObserveCancelRequestsAsync(stoppingToken);
                    if (now >= nextSweep)
                    {
                        await timers.SweepAsync(stoppingToken);
                        nextSweep = now + TimerSweep;
                    }
                    if (await ClaimAsync(stoppingToken))
                        continue;
                    await signals.Runs.WaitAsync(IdlePoll, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    logger.RunLoopFailed(ex);
                    await Task.Delay(IdlePoll, time, stoppingToken);
                }
            }
        }
        finally
        {
            // Stop taking work; runs in flight stop at their next step boundary (or when the shutdown timeout aborts them).
            await Task.WhenAll(_running.Values.Select(r => r.Task));
        }
    }

    private TimeSpan RenewEvery => options.Value.LeaseDuration / 3;

    private void Reap()
    {
        foreach (var (runId, entry) in _running.Where(r => r.Value.Task.IsCompleted).ToList())
        {
            entry.LeaseLost.Dispose();
            entry.Cancelled.Dispose();
            _running.Remove(runId);
        }
    }

    /// <returns>True when a run was claimed or a slot may have come free (look again at once).</returns>
    private async Task<bool> ClaimAsync(CancellationToken stoppingToken)
    {
        if (_running.Count >= options.Value.MaxConcurrentRuns)
        {
            // At capacity, a finished run is the cue to claim the next approved one: waiting for the work
            // signal instead would leave approved runs queued until the next poll.
            await Task.WhenAny(_running.Values.Select(r => r.Task)).WaitAsync(IdlePoll, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            stoppingToken.ThrowIfCancellationRequested();
            return true;
        }
        var now = time.GetUtcNow();
        var runId = await runs.ClaimAsync(instance.Id, now, now + options.Value.LeaseDuration, stoppingToken);
        if (runId is null)
            return false;
        logger.RunStarted(runId, instance.Id);
        var entry = new RunningRun();
        _running[runId] = entry;
        entry.Task = ExecuteAsync(runId, entry, stoppingToken);
        return true;
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        if (_running.Count == 0)
            return;
        var ids = _running.Keys.ToList();
        var held = (await runs.RenewLeasesAsync(instance.Id, ids, time.GetUtcNow() + options.Value.LeaseDuration, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var lost in ids.Where(id => !held.Contains(id)))
        {
            // Another instance took the run over (this one was too slow to renew): stop touching it.
            logger.LeaseLost(lost, instance.Id);
            await _running[lost].LeaseLost.CancelAsync();
        }
    }

    /// <summary>'cancel' in the chat marks the run in the store; the instance running it stops it here.</summary>
    private async Task ObserveCancelRequestsAsync(CancellationToken cancellationToken)
    {
        var candidates = _running.Where(r => !r.Value.Task.IsCompleted && r.Value.CancelledBy is null).Select(r => r.Key).ToList();
        if (candidates.Count == 0)
            return;
        foreach (var (runId, by) in await runs.GetCancelRequestsAsync(candidates, cancellationToken))
        {
            var entry = _running[runId];
            entry.CancelledBy = by;
            await entry.Cancelled.CancelAsync();
        }
    }

    private async Task ExecuteAsync(string runId, RunningRun entry, CancellationToken drain)
    {
        // Yield so the claim loop goes on while this run starts.
        await Task.Yield();
        var leaseLost = entry.LeaseLost.Token;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId });
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, leaseLost, entry.Cancelled.Token);
        try
        {
            await executor.ExecuteAsync(runId, new RunTokens(drain, abort.Token), abort.Token);
        }
        catch (OperationCanceledException) when (entry.Cancelled.IsCancellationRequested && !leaseLost.IsCancellationRequested)
        {
            await finisher.CancelAsync(runId, instance.Id, entry.CancelledBy ?? "someone", CancellationToken.None);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested || drain.IsCancellationRequested)
        {
            // Checkpointed: the run stays 'running' and is resumed from its first unfinished step.
            if (!leaseLost.IsCancellationRequested)
                await runs.ReleaseLeaseAsync(instance.Id, runId, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.RunCrashed(runId, ex);
            // A run another instance took over is not this instance's to fail.
            if (leaseLost.IsCancellationRequested)
                return;
            try
            {
                await finisher.CrashedAsync(runId, instance.Id, ex, CancellationToken.None);
            }
            catch (Exception bookkeeping)
            {
                // The store itself is failing: the run stays 'running' and its lease expires; it is resumed later.
                logger.RunLoopFailed(bookkeeping);
            }
        }
    }
}
