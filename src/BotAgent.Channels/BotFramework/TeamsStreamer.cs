using System.Text.Json.Nodes;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// Teams' streaming protocol, for personal chats (the only place Teams allows it): the summary arrives as
/// an informative "typing" update followed by the final message with the text and the card, at most one
/// request a second. Anywhere streaming is refused, the summary is posted the ordinary way.
/// </summary>
public sealed class TeamsStreamer(ConnectorClient connector, TimeProvider time)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static bool Applies(ConversationKey conversation) =>
        conversation.ChannelId == "msteams" && BotFrameworkAddress.IsPersonal(conversation) && BotFrameworkAddress.ServiceUrlOf(conversation) is not null;

    public async Task<SendOutcome> SendSummaryAsync(ConversationKey conversation, RunSummaryView summary, CancellationToken cancellationToken)
    {
        var bot = conversation.Bot is { } b ? new ChannelAccount { Id = b.Id, Name = b.Name } : null;
        var account = new ConversationAccount { Id = conversation.ConversationId };
        var started = time.GetTimestamp();
        var start = await connector.SendTypingAsync(BotFrameworkAddress.ServiceUrlOf(conversation)!, conversation.ConversationId, new Activity
        {
            Type = ActivityTypes.Typing,
            From = bot,
            Conversation = account,
            Text = "Summarising the results…",
            Entities = [new JsonObject { ["type"] = "streaminfo", ["streamType"] = "informative", ["streamSequence"] = 1 }],
        }, cancellationToken);

        var card = AdaptiveCardRenderer.Render(summary, CardActionStyle.Execute);
        if (start.Status != SendStatus.Delivered || start.MessageId is null)
        {
            // Not a streaming conversation after all (or the channel said no): an ordinary reply.
            var plain = BotFrameworkSender.CardActivity(conversation, card, summary.FallbackText);
            plain.ReplyToId = conversation.ThreadId;
            return await connector.ReplyAsync(BotFrameworkAddress.ServiceUrlOf(conversation)!, conversation.ConversationId, conversation.ThreadId, plain, cancellationToken);
        }

        var wait = MinInterval - time.GetElapsedTime(started);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, time, cancellationToken);
        var final = BotFrameworkSender.CardActivity(conversation, card, summary.FallbackText);
        // The card carries the summary; the text only heads it, so the chat does not show it twice.
        final.Text = summary.Status == Core.Runs.RunStatus.Succeeded ? "✅ Run succeeded" : $"Run {summary.Status.ToString().ToLowerInvariant()}";
        final.Entities = [new JsonObject { ["type"] = "streaminfo", ["streamId"] = start.MessageId, ["streamType"] = "final" }];
        return await connector.SendToConversationAsync(BotFrameworkAddress.ServiceUrlOf(conversation)!, conversation.ConversationId, final, cancellationToken);
    }
}
