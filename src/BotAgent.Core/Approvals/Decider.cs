using BotAgent.Core.Reporting;

namespace BotAgent.Core.Approvals;

/// <summary>
/// The one path every click takes, whatever the adapter or the route the click came by: the gate decides, and
/// everyone's card is brought up to date when the decision changed the run (or the clicked plan card was stale).
/// </summary>
public sealed class Decider(ApprovalGate plans, StepDecisionGate steps, Reporter reporter)
{
    public async Task<DecisionResult> DecideAsync(PlanDecision decision, CancellationToken cancellationToken)
    {
        var result = await plans.DecideAsync(decision, cancellationToken);
        // A stale card is refreshed too, so the people looking at it see the current plan.
        if (result.Run is not null && (result.ChangedRun || result.Kind == DecisionResultKind.Stale))
            await reporter.RefreshCardAsync(result.Run, cancellationToken);
        return result;
    }

    public async Task<DecisionResult> DecideAsync(StepDecision decision, CancellationToken cancellationToken)
    {
        var result = await steps.DecideAsync(decision, cancellationToken);
        if (result.ChangedRun && result.Run is not null)
            await reporter.RefreshCardAsync(result.Run, cancellationToken);
        return result;
    }
}
