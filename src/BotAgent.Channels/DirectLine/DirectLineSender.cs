using System.Globalization;
using System.Text.Json.Nodes;
using BotAgent.Channels.BotFramework;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Delivers outbox messages to the bot's own Direct Line conversations: no Connector call, the activity is appended to
/// the conversation's log, where every client reads it. Direct Line has no update: a card's new state is a new activity
/// with the same id (Web Chat replaces an activity by id, in place), marked <c>botagent.updates</c>.
/// </summary>
public sealed class DirectLineSender(IConversationLog log, DirectLineFeed feed, DirectLineIntake intake, TimeProvider time) : IChannelSender
{
    /// <summary>Names the run of a plan card that asks for decisions, so each viewer can be shown their own view of it.</summary>
    public const string PlanCardMarker = "botagent.planCard";

    public const string UpdateMarker = "botagent.updates";

    public string Adapter => ActivityTranslator.DirectLineAdapter;

    public async Task<SendOutcome> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var message = item.Message;
        // A typing hint replayed from the log on every reconnect would say the bot is working long after it stopped.
        if (message.Kind == OutboundKind.Progress)
            return SendOutcome.Delivered(null);
        var conversationId = message.Conversation.ConversationId;
        long? original = null;
        if (message.Kind == OutboundKind.Update)
        {
            if (item.TargetMessageId is null || SequenceOf(item.TargetMessageId) is not { } first)
                return SendOutcome.Failure($"The message '{message.MessageKey}' to update was never confirmed delivered.");
            original = first;
        }

        var card = AdaptiveCardRenderer.Render(message.View, CardActionStyle.Submit);
        var now = time.GetUtcNow();
        var activity = BotFrameworkSender.CardActivity(message.Conversation, card, message.View.FallbackText);
        activity.From = intake.Bot;
        activity.Recipient = message.Conversation.DirectTo is { } member ? new ChannelAccount { Id = member, Role = "user" } : null;
        activity.ChannelId = ActivityTranslator.DirectLineAdapter;
        activity.Timestamp = now.ToString("o", CultureInfo.InvariantCulture);
        activity.ReplyToId = message.Conversation.ThreadId;
        activity.ChannelData = [];
        if (message.View is PlanCardView { AcceptsDecisions: true } plan)
            activity.ChannelData[PlanCardMarker] = plan.RunId;
        if (original is not null)
            activity.ChannelData[UpdateMarker] = item.TargetMessageId;

        var entry = await log.AppendAsync(conversationId, activity.Recipient?.Id, seq =>
        {
            activity.Id = original is null ? IdOf(conversationId, seq) : item.TargetMessageId;
            return DirectLineIntake.Serialize(activity, original ?? seq);
        }, now, cancellationToken);
        feed.Notify(conversationId);
        return SendOutcome.Delivered(original is null ? IdOf(conversationId, entry.Sequence) : item.TargetMessageId);
    }

    /// <summary>Nothing to show while a plan is made: a typing activity in the log would outlive the work.</summary>
    public Task ShowPlanningAsync(Core.Intake.ConversationKey conversation, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A bot activity's id names its place in the log, as Azure's do: <c>{conversation}|0000042</c>.</summary>
    public static string IdOf(string conversationId, long sequence) => $"{conversationId}|{sequence.ToString("D7", CultureInfo.InvariantCulture)}";

    public static long? SequenceOf(string activityId) =>
        activityId.LastIndexOf('|') is var bar and >= 0 && long.TryParse(activityId.AsSpan(bar + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
}
