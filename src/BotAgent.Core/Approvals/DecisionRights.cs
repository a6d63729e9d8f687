using BotAgent.Core.Intake;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Approvals;

/// <summary>
/// Who may decide on a run, and from where: one answer for plan decisions, step decisions and the card each viewer is
/// shown, so a button is offered exactly to the people whose click would count.
/// </summary>
public sealed class DecisionRights(Permissions permissions)
{
    /// <summary>Why <paramref name="actor"/> may not approve (or carry on past an unknown outcome), or null when they may.</summary>
    public string? WhyNotApprove(Run run, Member actor) => run.Approval is not { } requirement
        ? "nobody may approve it"
        : ApprovalRules.WhyNotApprover(requirement, run.Requester, actor) ?? permissions.WhyNotApprove(actor, requirement.Risk);

    /// <summary>Why <paramref name="actor"/> may not reject (or stop), or null when they may.</summary>
    public static string? WhyNotReject(Run run, Member actor) => run.Approval is not { } requirement
        ? "nobody may decide on it"
        : ApprovalRules.WhyNotRejecter(requirement, run.Requester, actor);

    /// <summary>
    /// A plan card is acted on (and shown) in its own conversation, or by a named approver in the 1:1 chat the bot
    /// opened with them on the run's channel; a click from anywhere else counts for nothing.
    /// </summary>
    public static bool MayActOnPlanFrom(Run run, Member actor, ConversationKey where) =>
        run.Conversation.IsSameConversationAs(where)
        || (where.IsDirect
            && string.Equals(run.Conversation.Adapter, where.Adapter, StringComparison.Ordinal)
            && string.Equals(run.Conversation.ChannelId, where.ChannelId, StringComparison.Ordinal)
            && run.Approval?.Approvers?.Any(actor.IsIdentifiedBy) == true);
}
