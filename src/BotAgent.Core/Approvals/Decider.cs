using BotAgent.Core.Reporting;

namespace BotAgent.Core.Approvals;

/// <summary>
/// The one path every click takes, whatever the adapter or the route the click came by: the gate decides. A decision
/// that changed the run brings everyone's card up to date in its own write (<see cref="Runs.RunJournal"/>); a click on a
/// stale plan card refreshes the current version's card here, so the thread shows the plan that is current.
/// </summary>
public sealed class Decider(ApprovalGate plans, StepDecisionGate steps, Reporter reporter)
{
    public async Task<DecisionResult> DecideAsync(PlanDecision decision, CancellationToken cancellationToken)
    {
        var result = await plans.DecideAsync(decision, cancellationToken);
        if (result.Run is not null && result.Kind == DecisionResultKind.Stale)
            await reporter.RefreshCardAsync(result.Run, cancellationToken);
        return result;
    }

    public Task<DecisionResult> DecideAsync(StepDecision decision, CancellationToken cancellationToken) =>
        steps.DecideAsync(decision, cancellationToken);
}
