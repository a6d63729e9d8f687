using System.Text.Json.Nodes;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;

namespace BotAgent.Core.Execution;

/// <summary>
/// Ends a run that was executing: judges the goal against the steps' expectations (and the planner's summary),
/// moves the run to succeeded, failed or cancelled through the <see cref="RunJournal"/>, and posts the summary.
/// </summary>
public sealed class RunFinisher(IPlanner planner, RunJournal journal, ITraceSink traces)
{
    /// <param name="first">Where the last plan version's results start: earlier versions' failures were revised away.</param>
    /// <param name="failure">Why the run failed, when it ended because a revision was refused.</param>
    /// <param name="skipped">Steps not run because the goal was decided early (<paramref name="stoppedBecause"/> says how).</param>
    public async Task FinishAsync(
        Run run, PlanVersion plan, IReadOnlyList<StepResult> results, int first, CancellationToken cancellationToken,
        string? failure = null, IReadOnlyList<string>? skipped = null, string? stoppedBecause = null)
    {
        var failed = results.Skip(first).FirstOrDefault(r => !r.Succeeded) ?? (failure is null ? null : results.LastOrDefault(r => !r.Succeeded));
        var succeeded = failed is null && failure is null;
        var status = succeeded ? RunStatus.Succeeded : RunStatus.Failed;
        var outcome = failure ?? (failed is not null ? $"step {failed.StepId} {failed.State.ToWire()}: {failed.Summary}"
            : skipped is { Count: > 0 } ? "stopped early: " + stoppedBecause : "all steps succeeded");
        foreach (var stepId in skipped ?? [])
            await traces.ExecutionAsync(run.Id, TraceTypes.StepSkipped, stepId, null, new JsonObject { ["reason"] = stoppedBecause }, cancellationToken);

        var judged = Observation.GoalJudge.Judge(plan.Plan, results, first, failure ?? stoppedBecause);
        var summary = await planner.SummarizeAsync(new SummaryRequest(run.Id, run.Requester, plan.Plan, results, succeeded, skipped, judged, stoppedBecause), cancellationToken);
        var goal = summary.Goal ?? judged;
        await traces.PlanningAsync(run.Id, TraceTypes.GoalJudged, new JsonObject
        {
            ["verdict"] = goal.Wire,
            ["reason"] = goal.Reason,
            ["evidence"] = new JsonArray([.. goal.Evidence.Select(e => (JsonNode?)JsonValue.Create(e))]),
            ["by"] = summary.Goal is null ? "expectations" : "planner",
        }, cancellationToken);

        var evidence = results.Select(r => $"{r.StepId} · {r.Tool}: {r.State.ToWire()} — {r.Summary}").ToList();
        evidence.AddRange((skipped ?? []).Select(id => $"{id}: skipped — the goal was already decided"));
        var moved = await journal.MoveAsync(new RunMove(run.Id, RunStatus.Running, status, new RunChanges(Outcome: outcome, Goal: goal),
            new RunTrace(TraceTypes.RunFinished, new JsonObject { ["status"] = status.ToWire(), ["outcome"] = outcome, ["goal"] = goal.Wire }),
            ended => [Reporter.SummaryPost(ended, status, summary.Text, evidence, goal)]), cancellationToken);
        if (moved is null)
            throw new InvalidOperationException($"Run {run.Id} left the running state while it was executing.");
        if (!succeeded)
            System.Diagnostics.Activity.Current.Fail(outcome);
    }

    /// <summary>Ends a run someone cancelled while it was running on this instance (<paramref name="heldBy"/>; the step in flight was stopped).</summary>
    /// <remarks>
    /// An attempt an earlier instance left open (it stopped mid-call, and the cancel came before this one resumed the
    /// run and looked at it) is ended with the run: nothing resumes a cancelled run (the chaos harness's soaks, once
    /// they clicked decision cards, found three).
    /// </remarks>
    public Task CancelAsync(string runId, string heldBy, string by, CancellationToken cancellationToken) =>
        journal.MoveAsync(new RunMove(runId, RunStatus.Running, RunStatus.Cancelled, new RunChanges(Outcome: $"cancelled by {by}", HeldBy: heldBy,
                InterruptedAttempts: "Outcome unknown: the instance running this call stopped, and the run was cancelled before it was checked"),
            new RunTrace(TraceTypes.RunFinished, new JsonObject { ["status"] = "cancelled", ["by"] = by }),
            run => [Reporter.SummaryPost(run, RunStatus.Cancelled, $"Cancelled by {by}. Steps after the one in flight were not run.", [])]),
            cancellationToken);

    /// <summary>Ends a run whose execution threw on this instance (<paramref name="heldBy"/>): a bug or broken infrastructure, said as such.</summary>
    public Task CrashedAsync(string runId, string heldBy, Exception exception, CancellationToken cancellationToken) =>
        // The attempt the crash cut off (its end could not be written: the database restarted mid-step, which the chaos
        // harness's PostgreSQL soak found) is ended with the run, in one write; a run another instance took over
        // meanwhile is left alone.
        journal.MoveAsync(new RunMove(runId, RunStatus.Running, RunStatus.Failed, new RunChanges(
                Outcome: "internal error: " + exception.GetType().Name, HeldBy: heldBy,
                InterruptedAttempts: "Outcome unknown: the run stopped with an internal error during this call"),
            new RunTrace(TraceTypes.RunFinished, new JsonObject { ["status"] = "failed", ["error"] = exception.GetType().Name })), cancellationToken);
}
