using System.Text.Json.Nodes;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Observation;

/// <summary>
/// Looks at every step's result and decides what happens next. A failed step asks for a revision. A step whose
/// expectation was not met ends the plan as "not met" when no model looks at results (unless the step says to run
/// on). With <c>Planner:Observe=EachStep</c> the model sees the results so far (as data) after every step (but a last
/// step that met its expectation, which leaves it nothing to decide) and answers continue, revise or done; a revision is offered like any other, inside the approved envelope or back to
/// people. A model that cannot answer leaves the approved plan as it is.
/// </summary>
public sealed class Observer(
    IPlanner planner,
    Replanner replanner,
    IRunStore runs,
    ToolCatalogue tools,
    Reporter reporter,
    ITraceSink traces,
    IOptions<PlannerOptions> options,
    ILogger<Observer> logger)
{
    /// <param name="alreadyObserved">The result was recorded and acted on before a restart (the plan went on past it): nothing is asked again.</param>
    public async Task<AfterStep> AfterStepAsync(
        Run run, PlanVersion plan, IReadOnlyList<StepResult> results, StepResult result, ApprovedScope scope, bool alreadyObserved, CancellationToken cancellationToken)
    {
        if (alreadyObserved)
            return result.Succeeded ? AfterStep.Continue : AfterStep.Finish;
        var step = plan.Plan.Steps[result.Index];
        var expectation = result.Expectation ?? ExpectationResult.Nothing;
        await traces.ExecutionAsync(run.Id, TraceTypes.StepObserved, step.Id, result.Attempts, new JsonObject
        {
            ["state"] = result.State.ToWire(),
            ["expectation"] = expectation.State.ToString().ToLowerInvariant(),
            ["detail"] = expectation.Detail,
        }, cancellationToken);

        if (!result.Succeeded)
            return AfterStep.From(await replanner.ReviseAsync(run, plan, results, result, scope, cancellationToken));

        var stopsWithoutModel = expectation.State == ExpectationState.Unmet && step.Expect?.ContinueIfUnmet != true;
        var notMet = new AfterStep(AfterStepKind.Finish, StoppedBecause: $"step {step.Id} did not show what was expected ({expectation.Detail})");
        if (!options.Value.ObservesEachStep)
            return stopsWithoutModel ? notMet : AfterStep.Continue;
        // A last step that showed what the plan expected of it leaves the model nothing to decide (continue and done are
        // the same answer, and the plan's own criteria say it went as intended): the run's summary, a model call of its
        // own, judges the goal without a model wait before it. A last step with no expectation, or an unmet one, is
        // still looked at: the model may add steps.
        if (result.Index == plan.Plan.Steps.Count - 1 && expectation.State == ExpectationState.Met && !options.Value.ObserveMetLastStep)
            return AfterStep.Continue;

        var answer = await AskAsync(run, plan, results, result, cancellationToken);
        switch (answer.Decision)
        {
            case ObserveDecision.Done:
                return new AfterStep(AfterStepKind.Finish,
                    StoppedBecause: answer.Reason.Length == 0 ? "the planner judged the goal decided" : TextExcerpt.Truncate(answer.Reason.ReplaceLineEndings(" "), 300));
            case ObserveDecision.Revise when answer.Plan is not null && replanner.MayRevise(plan):
                var revision = await replanner.OfferAsync(run, plan, answer.Plan, answer.Planner,
                    $"after step {step.Id}: {(answer.Reason.Length == 0 ? "the results call for another plan" : answer.Reason)}", results, scope, cancellationToken);
                // A revision policy refuses leaves the approved plan as it was: the step went well, so it goes on.
                return revision.Kind == RevisionKind.Refused ? AfterStep.Continue : AfterStep.From(revision);
            case ObserveDecision.Revise:
                await traces.PlanningAsync(run.Id, TraceTypes.PlanNotRevised, new JsonObject
                {
                    ["reason"] = $"the run has had its {options.Value.MaxRevisions} revision(s)",
                }, cancellationToken);
                return stopsWithoutModel ? notMet : AfterStep.Continue;
            default:
                // Without an answer the steps' own expectations decide, as they do without a model.
                return answer.Failure is not null && stopsWithoutModel ? notMet : AfterStep.Continue;
        }
    }

    /// <summary>A step about to run no longer fits what was approved: the rest of the plan goes back to people.</summary>
    public async Task<AfterStep> AskAgainAsync(Run run, PlanVersion plan, int index, string why, IReadOnlyList<StepResult> results, ApprovedScope scope, CancellationToken cancellationToken) =>
        AfterStep.From(await replanner.AskAgainAsync(run, plan, index, why, results, scope, cancellationToken));

    private async Task<ObservationAnswer> AskAsync(Run run, PlanVersion plan, IReadOnlyList<StepResult> results, StepResult result, CancellationToken cancellationToken)
    {
        var step = plan.Plan.Steps[result.Index];
        // The card says what the model is doing, so a slow answer is not mistaken for a stuck run.
        var doing = $"Looking at the results of step {result.Index + 1}…";
        await runs.SetActivityAsync(run.Id, doing, cancellationToken);
        await reporter.RefreshCardAsync(run, cancellationToken);
        await reporter.ShowProgressAsync(run, doing, cancellationToken);
        await traces.PlanningAsync(run.Id, TraceTypes.ObservationRequested, new JsonObject { ["planVersion"] = plan.Version, ["stepId"] = step.Id }, cancellationToken);

        var remaining = plan.Plan.Steps.Skip(result.Index + 1).Select(s => s.Id).ToList();
        ObservationAnswer answer;
        try
        {
            answer = await planner.ObserveAsync(new ObservationRequest(run.Id, run.Goal, run.Requester, plan.Plan, results, remaining, tools.Descriptors), cancellationToken);
        }
        finally
        {
            // Cleared whatever happened (a lost lease cancels the call): a stale "looking at…" would say the model is still at it.
            await runs.SetActivityAsync(run.Id, null, CancellationToken.None);
            await reporter.RefreshCardAsync(run, CancellationToken.None);
        }

        var decision = answer.Decision.ToString().ToLowerInvariant();
        logger.Observed(run.Id, step.Id, answer.Failure is null ? decision : "nothing (" + answer.Failure + ")");
        await traces.PlanningAsync(run.Id, TraceTypes.ObservationAnswered, new JsonObject
        {
            ["stepId"] = step.Id,
            ["decision"] = decision,
            ["reason"] = answer.Reason,
            ["failure"] = answer.Failure,
            ["planner"] = answer.Planner,
        }, cancellationToken);
        return answer;
    }
}
