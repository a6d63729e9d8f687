using System.Text.Json.Nodes;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.BotFramework;

/// <summary>Delivers outbox messages to Bot Framework channels as Adaptive Card activities.</summary>
public sealed class BotFrameworkSender(ConnectorClient connector, TeamsStreamer streamer) : IChannelSender
{
    public string Adapter => ActivityTranslator.Adapter;

    public Task<SendOutcome> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        if (item.Message is { Kind: OutboundKind.Post, View: RunSummaryView summary } && TeamsStreamer.Applies(item.Message.Conversation))
            return streamer.SendSummaryAsync(item.Message.Conversation, summary, cancellationToken);
        var message = item.Message;
        var conversation = message.Conversation;
        if (BotFrameworkAddress.ServiceUrlOf(conversation) is not { } serviceUrl)
            return Task.FromResult(SendOutcome.Failure("The conversation has no serviceUrl."));

        if (message is { Kind: OutboundKind.Progress })
            return SendTypingAsync(serviceUrl, conversation, cancellationToken);

        var card = AdaptiveCardRenderer.Render(message.View, AdaptiveCardRenderer.StyleFor(conversation.ChannelId));
        var activity = CardActivity(conversation, card, message.View.FallbackText);
        if (message.Kind == OutboundKind.Post && conversation.DirectTo is { } member)
            return connector.SendDirectAsync(conversation, member, activity, cancellationToken);
        if (message.Kind == OutboundKind.Post)
        {
            activity.ReplyToId = conversation.ThreadId;
            return connector.ReplyAsync(serviceUrl, conversation.ConversationId, conversation.ThreadId, activity, cancellationToken);
        }

        if (item.TargetMessageId is null)
            return Task.FromResult(SendOutcome.Failure($"The message '{message.MessageKey}' to update was never confirmed delivered."));
        return connector.UpdateAsync(serviceUrl, conversation.ConversationId, item.TargetMessageId, activity, cancellationToken);
    }

    /// <summary>
    /// The typing indicator while a model works for the run. Not an informative streaming update in Teams personal
    /// chats: a stream must end in a final message, and only one may be open per chat; the summary streams.
    /// </summary>
    private Task<SendOutcome> SendTypingAsync(string serviceUrl, Core.Intake.ConversationKey conversation, CancellationToken cancellationToken) =>
        connector.SendTypingAsync(serviceUrl, conversation.ConversationId, new Activity
        {
            Type = ActivityTypes.Typing,
            From = conversation.Bot is { } bot ? new ChannelAccount { Id = bot.Id, Name = bot.Name } : null,
            Conversation = new ConversationAccount { Id = conversation.ConversationId },
        }, cancellationToken);

    /// <summary>Teams shows "typing…" while the plan is made; other Bot Framework channels show nothing worth the call.</summary>
    public async Task ShowPlanningAsync(Core.Intake.ConversationKey conversation, CancellationToken cancellationToken)
    {
        if (conversation.ChannelId == "msteams" && BotFrameworkAddress.ServiceUrlOf(conversation) is { } serviceUrl)
            await SendTypingAsync(serviceUrl, conversation, cancellationToken);
    }

    /// <summary>
    /// A message carrying only the card: text and attachments in one activity can be split in two by
    /// Teams, and then the id needed to update the card is lost.
    /// </summary>
    public static Activity CardActivity(Core.Intake.ConversationKey conversation, JsonObject card, string summary) => new()
    {
        Type = ActivityTypes.Message,
        From = conversation.Bot is { } bot ? new ChannelAccount { Id = bot.Id, Name = bot.Name } : null,
        Conversation = new ConversationAccount { Id = conversation.ConversationId },
        Summary = summary.Length > 200 ? summary[..200] : summary,
        Attachments = [new Attachment { ContentType = ActivityTypes.AdaptiveCardContentType, Content = card }],
    };
}
