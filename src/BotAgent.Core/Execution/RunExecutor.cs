using System.Text.Json.Nodes;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging;

namespace BotAgent.Core.Execution;

/// <summary>
/// Executes a claimed run's approved plan step by step, reporting each result in the thread, then
/// ends the run with a summary. Steps that already succeeded (a resumed run) are not repeated.
/// </summary>
public sealed class RunExecutor(
    IRunStore runs,
    IStepAttemptStore attempts,
    StepExecutor steps,
    IPlanner planner,
    Reporter reporter,
    ITraceSink traces,
    ILogger<RunExecutor> logger)
{
    public async Task ExecuteAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} was claimed but does not exist.");
        var plan = await runs.GetPlanAsync(runId, run.PlanVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} has no plan v{run.PlanVersion}.");

        await traces.ExecutionAsync(run.Id, TraceTypes.RunStarted, null, null, new JsonObject { ["planVersion"] = plan.Version }, cancellationToken);
        await reporter.RefreshCardAsync(run, cancellationToken);

        var done = (await attempts.ListAsync(runId, cancellationToken))
            .Where(a => a.PlanVersion == plan.Version && a.State == StepState.Succeeded)
            .Select(a => a.StepId)
            .ToHashSet(StringComparer.Ordinal);

        var results = new List<StepResult>();
        var succeeded = true;
        for (var i = 0; i < plan.Plan.Steps.Count; i++)
        {
            if (done.Contains(plan.Plan.Steps[i].Id))
                continue;
            var result = await steps.ExecuteAsync(run, plan, i, cancellationToken);
            results.Add(result);
            await reporter.PostStepResultAsync(run, result, cancellationToken);
            await reporter.RefreshCardAsync(run, cancellationToken);
            if (!result.Succeeded)
            {
                succeeded = false;
                break;
            }
        }

        await FinishAsync(run, plan, results, succeeded, cancellationToken);
    }

    private async Task FinishAsync(Run run, PlanVersion plan, IReadOnlyList<StepResult> results, bool succeeded, CancellationToken cancellationToken)
    {
        var status = succeeded ? RunStatus.Succeeded : RunStatus.Failed;
        var failed = results.FirstOrDefault(r => !r.Succeeded);
        var outcome = failed is null ? "all steps succeeded" : $"step {failed.StepId} {failed.State.ToWire()}: {failed.Summary}";
        var summary = await planner.SummarizeAsync(new SummaryRequest(run.Id, plan.Plan, results, succeeded), cancellationToken);

        if (!await runs.TransitionAsync(run.Id, RunStatus.Running, status, new RunChanges(Outcome: outcome), cancellationToken))
            throw new InvalidOperationException($"Run {run.Id} left the running state while it was executing.");
        await traces.ExecutionAsync(run.Id, TraceTypes.RunFinished, null, null, new JsonObject
        {
            ["status"] = status.ToWire(),
            ["outcome"] = outcome,
        }, cancellationToken);
        logger.RunFinished(run.Id, status.ToWire());

        var evidence = results.Select(r => $"{r.StepId} · {r.Tool}: {r.State.ToWire()} — {r.Summary}").ToList();
        await reporter.PostSummaryAsync(run, status, summary, evidence, cancellationToken);
        await reporter.RefreshCardAsync(run, cancellationToken);
    }
}
