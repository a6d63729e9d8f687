using System.Text.Json.Nodes;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;

namespace BotAgent.Core.Approvals;

/// <summary>
/// Turns clicks on a decision card into the one decision a step with an unknown outcome gets: mark it
/// done (the run continues after it), retry it, or stop the run. Only people who may approve the plan decide.
/// </summary>
public sealed class StepDecisionGate(
    IRunStore runs,
    RunJournal journal,
    IStepAttemptStore attempts,
    DecisionRights rights,
    ITraceSink traces,
    WorkSignals signals,
    TimeProvider time)
{
    public async Task<DecisionResult> DecideAsync(StepDecision action, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(action.RunId, cancellationToken);
        if (run is null)
            return new(DecisionResultKind.UnknownRun, "This card refers to a run I do not know.", null);
        // Stricter than a plan card: decision cards are posted only in the run's thread, never to a 1:1 chat.
        if (!run.Conversation.IsSameConversationAs(action.Conversation))
            return new(DecisionResultKind.NotAllowed, "This card belongs to another conversation.", run);
        if (run.Status != RunStatus.AwaitingDecision)
            return new(DecisionResultKind.Closed, $"Nothing changed: this run is {run.Status.ToWire().Replace('_', ' ')}, not waiting for a decision.", run);

        var attempt = (await attempts.ListAsync(run.Id, cancellationToken)).FirstOrDefault(a => a.Id == action.AttemptId);
        if (attempt is null || attempt.State != StepState.OutcomeUnknown)
            return new(DecisionResultKind.Stale, "Nothing changed: that step is not the one waiting for a decision.", run);

        _ = run.Approval ?? throw new InvalidOperationException($"Run {run.Id} has no approval requirement.");
        var refusal = action.Kind == StepResolutionKind.Stop ? DecisionRights.WhyNotReject(run, action.Actor) : rights.WhyNotApprove(run, action.Actor);
        if (refusal is not null)
            return new(DecisionResultKind.NotAllowed, $"{action.Actor.Name}, you may not decide this: {refusal}.", run);

        var resolution = new StepResolution(run.Id, attempt.Id, attempt.StepId, action.Kind, action.Actor, time.GetUtcNow());
        var message = action.Kind switch
        {
            StepResolutionKind.Done => $"{action.Actor.Name} confirmed step {attempt.StepId} happened; the run continues.",
            StepResolutionKind.Retry => $"{action.Actor.Name} asked to run step {attempt.StepId} again.",
            _ => $"{action.Actor.Name} stopped the run at step {attempt.StepId}.",
        };
        var step = (await runs.GetPlanAsync(run.Id, attempt.PlanVersion, cancellationToken))?.Plan.Steps.FirstOrDefault(s => s.Id == attempt.StepId);
        // The decision card loses its buttons and a stop's summary is posted with the decision itself, in one write.
        Announcement announce = resolved =>
        [
            Reporter.DecisionCard(resolved, new DecisionCardView(
                resolved.Id, resolved.PlanHash ?? "", attempt.Id, attempt.StepIndex + 1, attempt.StepId, step?.Title ?? attempt.Tool, attempt.Tool,
                step is null ? TextExcerpt.Truncate(attempt.ArgsJson, 160) : TextExcerpt.Arguments(step.Args), "",
                AcceptsDecisions: false, ResolvedText: message), update: true),
            .. action.Kind == StepResolutionKind.Stop ? [Reporter.SummaryPost(resolved, RunStatus.Cancelled, message, [])] : Array.Empty<OutboundMessage>(),
        ];
        if (!await journal.ResolveStepAsync(resolution, announce, cancellationToken))
            return new(DecisionResultKind.Closed, "Nothing changed: someone already decided.", await runs.GetAsync(run.Id, cancellationToken));

        await traces.ExecutionAsync(run.Id, TraceTypes.StepResolved, attempt.StepId, attempt.Attempt, new JsonObject
        {
            ["decision"] = action.Kind.ToString().ToLowerInvariant(),
            ["actorId"] = action.Actor.Id,
            ["actorName"] = action.Actor.Name,
        }, cancellationToken);
        run = await runs.GetAsync(run.Id, cancellationToken) ?? run;
        if (action.Kind != StepResolutionKind.Stop)
            signals.Runs.Set();
        return new(DecisionResultKind.Resolved, message, run);
    }
}
