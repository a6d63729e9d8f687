using BotAgent.Core.Approvals;
using BotAgent.Core.Reporting;

namespace BotAgent.Core.Intake;

/// <summary>The core's side of <see cref="IChatEvents"/>: the same for every adapter.</summary>
public sealed class ChatEvents(
    RunCoordinator coordinator,
    ChatCommands commands,
    PendingCommand pending,
    Decider decider,
    ViewerCards cards,
    Reporter reporter,
    PlanningIndicator indicator) : IChatEvents
{
    public async Task MessagePostedAsync(GoalPosted message, CancellationToken cancellationToken)
    {
        if (await pending.TryHandleAsync(message, cancellationToken) || await commands.TryHandleAsync(message, cancellationToken))
            return;
        await indicator.WhileAsync(message.Conversation, coordinator.HandleGoalAsync(message, cancellationToken), cancellationToken);
    }

    public Task BotAddedAsync(ConversationKey conversation, CancellationToken cancellationToken)
    {
        var here = conversation with { ThreadId = null };
        return reporter.PostNoticeAsync(here, commands.Help(), cancellationToken, messageKey: "welcome:" + here.OrderingKey);
    }

    public Task<DecisionResult> PlanDecidedAsync(PlanDecision decision, CancellationToken cancellationToken) =>
        decider.DecideAsync(decision, cancellationToken);

    public Task<DecisionResult> StepDecidedAsync(StepDecision decision, CancellationToken cancellationToken) =>
        decider.DecideAsync(decision, cancellationToken);

    public Task AnswerUnchangedAsync(DecisionResult result, ConversationKey clickedIn, CancellationToken cancellationToken)
    {
        var here = result.Run is { } run && run.Conversation.IsSameConversationAs(clickedIn) ? run.Conversation : clickedIn;
        return reporter.PostNoticeAsync(here, new NoticeView(result.Message, [], NoticeTone.Warning, result.Run?.Id), cancellationToken);
    }

    public Task NoticeAsync(ConversationKey conversation, NoticeView notice, CancellationToken cancellationToken) =>
        reporter.PostNoticeAsync(conversation, notice, cancellationToken);

    public Task<ViewerCard?> CardForAsync(string runId, Member viewer, ConversationKey where, CancellationToken cancellationToken) =>
        cards.CardForAsync(runId, viewer, where, cancellationToken);
}
