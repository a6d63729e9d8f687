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
    public async Task<string> PostAsync(string conversationId, Activity activity, string voucher, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = $"{conversationId}|{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        activity.Id = id;
        activity.Timestamp = now.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        activity.ChannelId = ActivityTranslator.DirectLineAdapter;
        activity.ServiceUrl = null;
        activity.Conversation = new ConversationAccount { Id = conversationId };
        activity.Recipient = Bot;
        activity.From!.Role = "user";
        // The bot's own marks (which card a reader sees as their own view, which card an activity updates) are the bot's to set.
        foreach (var mark in activity.ChannelData?.Select(p => p.Key).Where(k => k.StartsWith("botagent", StringComparison.OrdinalIgnoreCase)).ToList() ?? [])
            activity.ChannelData!.Remove(mark);
        var clientId = ClientActivityId(activity);
        var dedupeKey = $"{ActivityTranslator.DirectLineAdapter}:{conversationId}:{clientId ?? id}";

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

    private static string? ClientActivityId(Activity activity) =>
        activity.ChannelData?["clientActivityID"] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length is > 0 and <= 200 ? text : null;
}
