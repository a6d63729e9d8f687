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
    IRunStore runs,
    RunExecutor executor,
    ApprovalTimers timers,
    Reporter reporter,
    ITraceSink traces,
    WorkSignals signals,
    BotInstance instance,
    TimeProvider time,
    IOptions<ExecutionOptions> options,
    ILogger<RunWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TimerSweep = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, (Task Task, CancellationTokenSource LeaseLost)> _running = new(StringComparer.Ordinal);
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
            _running.Remove(runId);
        }
    }

    /// <returns>True when a run was claimed (look again at once).</returns>
    private async Task<bool> ClaimAsync(CancellationToken stoppingToken)
    {
        if (_running.Count >= options.Value.MaxConcurrentRuns)
        {
            await Task.WhenAny(_running.Values.Select(r => r.Task)).WaitAsync(IdlePoll, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return false;
        }
        var now = time.GetUtcNow();
        var runId = await runs.ClaimAsync(instance.Id, now, now + options.Value.LeaseDuration, stoppingToken);
        if (runId is null)
            return false;
        logger.RunStarted(runId, instance.Id);
        var leaseLost = new CancellationTokenSource();
        _running[runId] = (ExecuteAsync(runId, stoppingToken, leaseLost.Token), leaseLost);
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

    private async Task ExecuteAsync(string runId, CancellationToken drain, CancellationToken leaseLost)
    {
        // Yield so the claim loop goes on while this run starts.
        await Task.Yield();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, leaseLost);
        try
        {
            await executor.ExecuteAsync(runId, new RunTokens(drain, abort.Token), abort.Token);
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
            await runs.TransitionAsync(runId, RunStatus.Running, RunStatus.Failed, new RunChanges(Outcome: "internal error: " + ex.GetType().Name), CancellationToken.None);
            await traces.ExecutionAsync(runId, TraceTypes.RunFinished, null, null, new JsonObject { ["status"] = "failed", ["error"] = ex.GetType().Name }, CancellationToken.None);
            var run = await runs.GetAsync(runId, CancellationToken.None);
            if (run is not null)
                await reporter.RefreshCardAsync(run, CancellationToken.None);
        }
    }
}
