using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Channels.BotFramework;
using BotAgent.Core;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Takes what a Direct Line client posts: the activity, with the id, time and sender the endpoint vouches for, goes into
/// the durable inbox (de-duplicated by the client's activity id) for the background worker, and into the conversation's
/// log, which is how every client of the conversation (the sender's own included) sees it.
/// </summary>
public sealed class DirectLineIntake(IConversationLog log, IInbox inbox, WorkSignals signals, DirectLineFeed feed, IOptions<DirectLineOptions> options)
{
    public const string BotId = "botagent";

    public ChannelAccount Bot => new() { Id = BotId, Name = options.Value.BotName, Role = "bot" };

    /// <summary>Stores a posted message; returns its id (the first one's, for a message posted twice).</summary>
    public async Task<string> PostAsync(string conversationId, Activity posted, string voucher, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = $"{conversationId}|{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var activity = ClientMessage(posted);
        activity.Id = id;
        activity.Timestamp = now.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        activity.ChannelId = ActivityTranslator.DirectLineAdapter;
        activity.Conversation = new ConversationAccount { Id = conversationId };
        activity.Recipient = Bot;
        var clientId = ClientActivityId(activity);
        // Per sender: another person's client may pick the same id (or copy it to have a message dropped).
        var dedupeKey = $"{ActivityTranslator.DirectLineAdapter}:{conversationId}:{activity.From!.Id}:{clientId ?? id}";

        activity.VouchedBy = voucher;
        var stored = JsonSerializer.Serialize(activity, BotFrameworkJsonContext.Default.Activity);
        var fresh = await inbox.TryAcceptAsync(ActivityTranslator.DirectLineAdapter, dedupeKey, ActivityTranslator.OrderingKey(activity), stored, now, processed: false, cancellationToken);
        if (!fresh)
            return id;
        // What clients see carries no voucher; its place in the log orders it for Web Chat.
        activity.VouchedBy = null;
        await log.AppendAsync(conversationId, null, seq => Serialize(activity, seq), now, cancellationToken);
        feed.Notify(conversationId);
        signals.Inbox.Set();
        return id;
    }

    /// <summary>Tells the bot it was added to a new conversation (it introduces itself once per conversation).</summary>
    public async Task JoinedAsync(string conversationId, ChannelAccount? user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.ConversationUpdate,
            Id = $"{conversationId}|joined",
            Timestamp = now.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            ChannelId = ActivityTranslator.DirectLineAdapter,
            Conversation = new ConversationAccount { Id = conversationId },
            Recipient = Bot,
            From = user ?? new ChannelAccount { Id = "directline" },
            MembersAdded = [Bot],
            VouchedBy = InboundVoucher.DirectLine,
        };
        var stored = JsonSerializer.Serialize(activity, BotFrameworkJsonContext.Default.Activity);
        if (await inbox.TryAcceptAsync(ActivityTranslator.DirectLineAdapter, $"{ActivityTranslator.DirectLineAdapter}:{conversationId}:joined",
                ActivityTranslator.OrderingKey(activity), stored, now, processed: false, cancellationToken))
            signals.Inbox.Set();
    }

    /// <summary>
    /// An activity as clients see it, with <paramref name="order"/> as Web Chat's sort key (its place in the log; for a
    /// card's new state, the first state's place, so the card stays where it was).
    /// </summary>
    public static string Serialize(Activity activity, long order)
    {
        activity.ChannelData ??= [];
        activity.ChannelData["webchat:sequence-id"] = order;
        return JsonSerializer.Serialize(activity, BotFrameworkJsonContext.Wire.Activity);
    }

    /// <summary>
    /// What a person may say: text and a card click's value, nothing that renders as the bot's own. Everyone in the room
    /// sees what is stored, so a client's attachments (a copy of a plan card whose Approve button names someone else's
    /// run), suggested actions or marks of the bot's own would be buttons in other people's views.
    /// </summary>
    private static Activity ClientMessage(Activity posted)
    {
        var channelData = new JsonObject();
        // Web Chat matches its echo by these; nothing else in a client's channelData is read.
        foreach (var key in (ReadOnlySpan<string>)["clientActivityID", "clientTimestamp"])
        {
            if (posted.ChannelData?[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length is > 0 and <= 200)
                channelData[key] = text;
        }
        return new Activity
        {
            Type = ActivityTypes.Message,
            From = new ChannelAccount { Id = posted.From!.Id, Name = posted.From.Name, Role = "user" },
            Text = posted.Text,
            TextFormat = posted.TextFormat is "plain" or "markdown" ? posted.TextFormat : null,
            Locale = posted.Locale?.Length <= 20 ? posted.Locale : null,
            Value = posted.Value,
            ChannelData = channelData.Count > 0 ? channelData : null,
        };
    }

    private static string? ClientActivityId(Activity activity) =>
        activity.ChannelData?["clientActivityID"] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length is > 0 and <= 200 ? text : null;
}
