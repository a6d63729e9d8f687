using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Reporting;

/// <summary>
/// The plan card for one viewer in one place. The plan (goal, arguments, who asked) is shown only in its own
/// conversation, or to a named approver in the 1:1 chat the bot opened: a card id from elsewhere reveals nothing.
/// </summary>
public sealed class ViewerCards(IRunStore runs, PlanCardViewBuilder cards, DecisionRights rights)
{
    /// <summary>The card as it stands, or null when the run is unknown or not to be shown here.</summary>
    public async Task<ViewerCard?> CardForAsync(string runId, Member viewer, ConversationKey where, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run is null || !DecisionRights.MayActOnPlanFrom(run, viewer, where))
            return null;
        var view = await cards.BuildAsync(run.Id, cancellationToken);
        if (view is null)
            return null;
        var reason = rights.WhyNotApprove(run, viewer);
        return new ViewerCard(view, reason is null, reason);
    }
}
