using System.Text.Json.Nodes;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Execution;

/// <summary>
/// Claims approved runs and executes them, a bounded number at a time, and expires plans whose
/// approval window has passed. Waiting for approval is stored state: it costs no thread here.
/// </summary>
public sealed class RunWorker(
    IRunStore runs,
    RunExecutor executor,
    Reporter reporter,
    ITraceSink traces,
    WorkSignals signals,
    TimeProvider time,
    IOptions<ExecutionOptions> options,
    ILogger<RunWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ExpirySweep = TimeSpan.FromSeconds(15);
    private readonly string _owner = options.Value.InstanceId ?? $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly HashSet<Task> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    _running.RemoveWhere(t => t.IsCompleted);
                    if (time.GetUtcNow() >= nextSweep)
                    {
                        await ExpireAsync(stoppingToken);
                        nextSweep = time.GetUtcNow() + ExpirySweep;
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
                    await Task.Delay(IdlePoll, stoppingToken);
                }
            }
        }
        finally
        {
            // Let runs in flight reach their next checkpoint before the host stops.
            await Task.WhenAll(_running);
        }
    }

    /// <returns>True when a run was claimed (look again at once).</returns>
    private async Task<bool> ClaimAsync(CancellationToken stoppingToken)
    {
        if (_running.Count >= options.Value.MaxConcurrentRuns)
        {
            await Task.WhenAny(_running);
            return true;
        }
        var leaseUntil = time.GetUtcNow() + options.Value.LeaseDuration;
        var runId = await runs.ClaimApprovedAsync(_owner, leaseUntil, stoppingToken);
        if (runId is null)
            return false;
        logger.RunStarted(runId, _owner);
        _running.Add(ExecuteAsync(runId, stoppingToken));
        return true;
    }

    private async Task ExecuteAsync(string runId, CancellationToken stoppingToken)
    {
        // Yield so the claim loop goes on while this run starts.
        await Task.Yield();
        try
        {
            await executor.ExecuteAsync(runId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the run stays 'running' and is resumed from its first unfinished step.
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

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        foreach (var runId in await runs.ExpireOverdueAsync(time.GetUtcNow(), cancellationToken))
        {
            logger.RunExpired(runId);
            await traces.ExecutionAsync(runId, TraceTypes.RunExpired, null, null, null, cancellationToken);
            var run = await runs.GetAsync(runId, cancellationToken);
            if (run is not null)
                await reporter.RefreshCardAsync(run, cancellationToken);
        }
    }
}
