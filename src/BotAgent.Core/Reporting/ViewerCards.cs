using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Reporting;

/// <summary>
/// The plan card for one viewer in one place. The plan (goal, arguments, who asked) is shown only in its own
/// conversation, or to a named approver in the 1:1 chat the bot opened: a card id from elsewhere reveals nothing.
/// </summary>
public sealed class ViewerCards(IRunStore runs, PlanCardViewBuilder cards, Permissions permissions)
{
    /// <summary>The card as it stands, or null when the run is unknown or not to be shown here.</summary>
    public async Task<ViewerCard?> CardForAsync(string runId, Member viewer, ConversationKey where, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run is null || !MayView(run, viewer, where))
            return null;
        var view = await cards.BuildAsync(run.Id, cancellationToken);
        if (view is null)
            return null;
        var reason = run.Approval is null
            ? "nobody may approve it"
            : ApprovalRules.WhyNotApprover(run.Approval, run.Requester, viewer) ?? permissions.WhyNotApprove(viewer, run.Approval.Risk);
        return new ViewerCard(view, reason is null, reason);
    }

    public static bool MayView(Run run, Member viewer, ConversationKey where) =>
        run.Conversation.IsSameConversationAs(where) || ApprovalGate.IsNamedApproversDirectChat(run, viewer, where);
}
