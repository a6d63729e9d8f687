using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Execution;

/// <summary>
/// Executes a claimed run's approved plan step by step, reporting each result in the thread, then ends
/// the run with a summary. A resumed run (restart, takeover) continues from its first unfinished step:
/// finished steps are not repeated; a step in flight when its instance died runs again if that is safe,
/// and otherwise waits for a person to say what happened.
/// </summary>
public sealed class RunExecutor(
    IRunStore runs,
    IStepAttemptStore attempts,
    StepExecutor steps,
    ToolCatalogue tools,
    Observation.Observer observer,
    RunFinisher finisher,
    DecisionRequest decisions,
    Reporter reporter,
    ITraceSink traces,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    public async Task ExecuteAsync(string runId, RunTokens tokens, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} was claimed but does not exist.");
        var plan = await runs.GetPlanAsync(runId, run.PlanVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} has no plan v{run.PlanVersion}.");
        using var span = Telemetry.Start("botagent.run", run.Id, run.Conversation.ConversationId);
        var results = new List<StepResult>();
        // Each pass executes one plan version; a revision inside the approved envelope starts the next.
        while (await ExecutePlanAsync(run, plan, results, tokens, cancellationToken) is { } revised)
        {
            plan = revised;
            run = await runs.GetAsync(runId, cancellationToken) ?? run;
        }
    }

    /// <returns>The revised plan to continue with, or null when the run ended or waits for people.</returns>
    private async Task<PlanVersion?> ExecutePlanAsync(Run run, PlanVersion plan, List<StepResult> results, RunTokens tokens, CancellationToken cancellationToken)
    {
        var runId = run.Id;
        var first = results.Count; // results of this plan version start here
        var all = await attempts.ListAsync(runId, cancellationToken);
        var ledger = all.Where(a => a.PlanVersion == plan.Version).ToList();
        var resolutions = await runs.GetResolutionsAsync(runId, cancellationToken);
        var scope = await ScopeAsync(run, plan, all, cancellationToken);

        await traces.ExecutionAsync(run.Id, ledger.Count == 0 ? TraceTypes.RunStarted : TraceTypes.RunResumed, null, null,
            new JsonObject { ["planVersion"] = plan.Version, ["approvedVersion"] = scope.Approved.Version }, cancellationToken);
        await reporter.RefreshCardAsync(run, cancellationToken);

        for (var i = 0; i < plan.Plan.Steps.Count; i++)
        {
            if (tokens.Drain.IsCancellationRequested)
            {
                logger.RunCheckpointed(run.Id);
                tokens.Drain.ThrowIfCancellationRequested();
            }
            tokens.Abort.ThrowIfCancellationRequested();

            var last = ledger.Where(a => a.StepId == plan.Plan.Steps[i].Id).MaxBy(a => a.Attempt);
            var resume = await ResumeAsync(run, plan, i, last, resolutions, cancellationToken);
            StepResult result;
            if (resume.Decided is { } earlier)
                result = earlier;
            else if (resume.WaitForPerson)
                return null;
            else
            {
                result = await steps.ExecuteAsync(run, plan, i, last?.Attempt ?? 0, scope, tokens.Abort);
                if (result.OutsideEnvelope is { } why)
                {
                    // Back to people; if policy refuses even that (the tool is gone), the run ends here.
                    var asked = await observer.AskAgainAsync(run, plan, i, why, results, scope, cancellationToken);
                    if (asked.Kind == Observation.AfterStepKind.Finish)
                        await finisher.FinishAsync(run, plan, results, first, cancellationToken, asked.Failure ?? "a step no longer fits what was approved: " + why);
                    return null;
                }
                if (result.State == StepState.OutcomeUnknown)
                {
                    await decisions.AskAsync(run, plan, i, result.AttemptId, cancellationToken);
                    return null;
                }
            }
            results.Add(result);
            await reporter.PostStepResultAsync(run, result, cancellationToken);
            if (resume.Decided is null)
                await reporter.RefreshCardAsync(run, cancellationToken);

            // A recorded result followed by a later attempt of this version was observed before the restart and the
            // plan went on; the last recorded one may not have been (the instance stopped before deciding), so it is.
            var observed = resume.Decided is not null && ledger.Any(a => a.StepIndex > i);
            var next = await observer.AfterStepAsync(run, plan, results, result, scope, alreadyObserved: observed, cancellationToken);
            switch (next.Kind)
            {
                case Observation.AfterStepKind.Revised:
                    return next.Plan;
                case Observation.AfterStepKind.Waiting:
                    return null;
                case Observation.AfterStepKind.Finish:
                    var skipped = next.StoppedBecause is null ? [] : plan.Plan.Steps.Skip(i + 1).Select(s => s.Id).ToList();
                    await finisher.FinishAsync(run, plan, results, first, cancellationToken, next.Failure, skipped, next.StoppedBecause);
                    return null;
            }
        }

        await finisher.FinishAsync(run, plan, results, first, cancellationToken);
        return null;
    }

    /// <summary>
    /// The plan version people approved (the latest with approvals; a revision that continued inside its envelope
    /// has none of its own) and who approved it, with every attempt so far: what each step is held to.
    /// </summary>
    private async Task<Policy.ApprovedScope> ScopeAsync(Run run, PlanVersion plan, IReadOnlyList<StepAttempt> ledger, CancellationToken cancellationToken)
    {
        var decisions = await runs.GetDecisionsAsync(run.Id, cancellationToken);
        var version = Approvals.ApprovedVersion.Latest(decisions, plan.Version);
        // Fail closed: a run without an approval, or whose approved version is gone, has nothing to run under.
        if (version == 0)
            throw new InvalidOperationException($"Run {run.Id} is executing plan v{plan.Version} without any approval.");
        var approved = version == plan.Version ? plan : await runs.GetPlanAsync(run.Id, version, cancellationToken)
            ?? throw new InvalidOperationException($"Run {run.Id} has no plan v{version}, the version people approved.");
        return new Policy.ApprovedScope(approved, Approvals.ApprovedVersion.Approvers(decisions, version), ledger);
    }

    /// <summary>What the ledger says about a step before it is (re)run.</summary>
    private readonly record struct Resumption(StepResult? Decided, bool WaitForPerson);

    private async Task<Resumption> ResumeAsync(
        Run run, PlanVersion plan, int index, StepAttempt? last, IReadOnlyList<StepResolution> resolutions, CancellationToken cancellationToken)
    {
        if (last is null)
            return default;
        var step = plan.Plan.Steps[index];
        var retrySafe = tools.TryGet(step.Tool, out var tool) && tool.Assess(step.Args).IsRetrySafe;
        switch (last.State)
        {
            case StepState.Succeeded:
                return new(FromAttempt(index, step, last), false);

            case StepState.OutcomeUnknown:
                var resolution = resolutions.FirstOrDefault(r => r.AttemptId == last.Id);
                if (resolution?.Kind == StepResolutionKind.Done)
                    return new(FromAttempt(index, step, last) with { State = StepState.Succeeded, Summary = $"Outcome was unknown; {resolution.DecidedBy.Name} confirmed it happened." }, false);
                if (resolution?.Kind == StepResolutionKind.Retry)
                    return default;
                await decisions.AskAsync(run, plan, index, last.Id, cancellationToken);
                return new(null, true);

            case StepState.Running:
                // Written as running before the call and never finished: its instance died mid-call.
                if (retrySafe)
                {
                    logger.AttemptInterrupted(run.Id, step.Id, last.Attempt, "running it again (safe to repeat)");
                    await attempts.FinishAsync(last.Id, StepState.Cancelled, time.GetUtcNow(), "Interrupted: the instance running it stopped", null, "interrupted", null, cancellationToken);
                    await traces.ExecutionAsync(run.Id, TraceTypes.AttemptInterrupted, step.Id, last.Attempt, new JsonObject { ["action"] = "retry" }, cancellationToken);
                    return default;
                }
                logger.AttemptInterrupted(run.Id, step.Id, last.Attempt, "asking a person (a write that may have happened)");
                await attempts.FinishAsync(last.Id, StepState.OutcomeUnknown, time.GetUtcNow(),
                    "Outcome unknown: the instance running this write stopped mid-call", null, "interrupted", null, cancellationToken);
                await traces.ExecutionAsync(run.Id, TraceTypes.AttemptInterrupted, step.Id, last.Attempt, new JsonObject { ["action"] = "ask" }, cancellationToken);
                await decisions.AskAsync(run, plan, index, last.Id, cancellationToken);
                return new(null, true);

            case StepState.Cancelled:
                return default; // stopped cleanly at shutdown before it could do anything lasting

            default:
                // Failed or timed out before the crash: safe steps get their retries again; a write keeps its failure.
                return retrySafe ? default : new(FromAttempt(index, step, last), false);
        }
    }

    private static StepResult FromAttempt(int index, PlanStep step, StepAttempt attempt) => new(
        index, step.Id, step.Title, step.Tool, attempt.State, attempt.Summary ?? attempt.State.ToWire(), attempt.Output, attempt.Error,
        attempt.Attempt, (attempt.FinishedAt ?? attempt.StartedAt) - attempt.StartedAt, AttemptId: attempt.Id, Measures: attempt.Measures,
        Expectation: attempt.State == StepState.Succeeded ? Observation.ExpectationCheck.Check(step.Expect, attempt.Measures, attempt.Output) : null);
}
