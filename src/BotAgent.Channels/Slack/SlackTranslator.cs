using System.Security.Cryptography;
using System.Text;
using BotAgent.Core.Intake;

namespace BotAgent.Channels.Slack;

/// <summary>Turns Slack events and clicks into the core's channel-neutral references and keys.</summary>
internal static class SlackTranslator
{
    public const string Adapter = "slack";
    public const string ChannelId = "slack";
    public const string EventCallback = "event_callback";
    public const string UrlVerification = "url_verification";
    public const string BlockActions = "block_actions";

    /// <summary>Where the items of one Slack channel (or DM) are ordered in the inbox; equal to <see cref="ConversationKey.OrderingKey"/>.</summary>
    public static string OrderingKey(string? channel) => ConversationKey.OrderingKeyOf(Adapter, ChannelId, channel);

    /// <summary>Slack retries an event with the same <c>event_id</c>: the inbox keeps one.</summary>
    public static string EventKey(string eventId) => "slack:event:" + eventId;

    /// <summary>
    /// A slash command's trigger id is new for each invocation: a replayed request (same signed body) is stored once.
    /// Hashed, as the trigger id is a short-lived handle to open dialogs as the app.
    /// </summary>
    public static string CommandKey(string triggerId) =>
        "slack:command:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(triggerId)))[..32];

    /// <summary>
    /// A click has no id of its own; the same click redelivered carries the same action timestamp, user
    /// and action (or, failing those, the same trigger id).
    /// </summary>
    public static string? ActionKey(SlackInteraction interaction)
    {
        var action = interaction.Actions?.FirstOrDefault();
        var identity = action?.ActionTs is { Length: > 0 } actionTs && interaction.User?.Id is { Length: > 0 } user
            ? $"{actionTs}|{user}|{action.ActionId}|{action.BlockId}"
            : interaction.TriggerId is { Length: > 0 } trigger ? "trigger|" + trigger : null;
        return identity is null ? null : "slack:action:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }

    /// <summary>The bot's user id: configured, or the bot authorization the event was delivered for.</summary>
    public static string? BotUserId(SlackEventEnvelope envelope, string? configured) =>
        !string.IsNullOrWhiteSpace(configured)
            ? configured
            : envelope.Authorizations?.FirstOrDefault(a => a.IsBot && !string.IsNullOrEmpty(a.UserId))?.UserId;

    /// <summary>Null when the event is someone talking to the bot; otherwise why it is none of the bot's business.</summary>
    public static string? WhyIgnored(SlackEventEnvelope envelope, string? botUserId)
    {
        if (envelope.Type != EventCallback)
            return $"an envelope of type '{envelope.Type}'";
        var e = envelope.Event;
        if (IsWelcome(e))
            return WhyNoWelcome(e!, botUserId);
        if (e is null || string.IsNullOrEmpty(e.Channel) || string.IsNullOrEmpty(e.Ts))
            return "an event without a channel or timestamp";
        // Bots (this one included) never start runs: answering each other's messages would loop.
        if (e.BotId is not null || e.Subtype == "bot_message")
            return "a message from a bot";
        if (string.IsNullOrEmpty(e.User))
            return "a message without a user";
        if (botUserId is not null && e.User == botUserId)
            return "the bot's own message";
        return e switch
        {
            { Type: "app_mention", Subtype: null } => null,
            // A mention in a channel comes as app_mention; a plain message counts only in a direct chat,
            // so an app also subscribed to channel messages does not take one goal twice.
            { Type: "message", Subtype: null, ChannelType: "im" } => null,
            _ => $"a {e.Type}{(e.Subtype is null ? "" : "/" + e.Subtype)} event in a {e.ChannelType ?? "channel"}",
        };
    }

    /// <summary>The events the bot introduces itself on: added to a channel, or its Messages tab opened.</summary>
    public static bool IsWelcome(SlackEvent? e) => e?.Type is "member_joined_channel" or "app_home_opened";

    private static string? WhyNoWelcome(SlackEvent e, string? botUserId) => e switch
    {
        { Channel: null or "" } => $"a {e.Type} event without a channel",
        // Someone else joining a channel the bot is in is not the bot being added.
        { Type: "member_joined_channel" } when botUserId is null || e.User != botUserId => "someone else joined a channel",
        { Type: "app_home_opened", Tab: not "messages" } => $"the app's {e.Tab ?? "unknown"} tab was opened",
        { Type: "app_home_opened", User: null or "" } => "an app_home_opened event without a user",
        _ => null,
    };

    /// <summary>Where the bot was added (a channel), or the 1:1 chat whose Messages tab was opened.</summary>
    public static ConversationKey WelcomeConversationOf(SlackEventEnvelope envelope, string? botUserId)
    {
        var e = envelope.Event!;
        var direct = e.Type == "app_home_opened";
        return new ConversationKey(Adapter, ChannelId, e.Channel!, null, Bot(botUserId), IsDirect: direct)
            .WithAddress((SlackAddress.Team, envelope.TeamId ?? e.Team), (SlackAddress.ChannelType, direct ? "im" : null));
    }

    /// <summary>
    /// Where a slash command was typed. It has no message to reply to, so the answer starts at the top of the
    /// conversation. Direct-message channel ids start with D; the bot can post in one only if it is its own.
    /// </summary>
    public static ConversationKey ConversationOf(SlackCommand command, string? botUserId)
    {
        var direct = command.ChannelId!.StartsWith('D');
        return new ConversationKey(Adapter, ChannelId, command.ChannelId, null, Bot(botUserId), IsDirect: direct)
            .WithAddress((SlackAddress.Team, command.TeamId), (SlackAddress.ChannelType, direct ? "im" : null));
    }

    /// <summary>The thread a goal belongs to: its own thread, or the one it starts.</summary>
    public static ConversationKey ConversationOf(SlackEventEnvelope envelope, string? botUserId)
    {
        var e = envelope.Event!;
        return new ConversationKey(Adapter, ChannelId, e.Channel!, e.ThreadTs ?? e.Ts, Bot(botUserId), IsDirect: e.ChannelType == "im")
            .WithAddress((SlackAddress.Team, envelope.TeamId ?? e.Team), (SlackAddress.ChannelType, e.ChannelType));
    }

    /// <summary>The thread of the message whose button was clicked.</summary>
    public static ConversationKey? ConversationOf(SlackInteraction interaction, string? botUserId)
    {
        var channel = interaction.Channel?.Id ?? interaction.Container?.ChannelId;
        if (string.IsNullOrEmpty(channel))
            return null;
        var thread = interaction.Message?.ThreadTs ?? interaction.Container?.ThreadTs ?? interaction.Message?.Ts ?? interaction.Container?.MessageTs;
        // Direct-message channel ids start with D: a click there is a click in a 1:1 chat.
        var direct = channel.StartsWith('D');
        return new ConversationKey(Adapter, ChannelId, channel, thread, Bot(botUserId), IsDirect: direct)
            .WithAddress((SlackAddress.Team, interaction.Team?.Id ?? interaction.User?.TeamId), (SlackAddress.ChannelType, direct ? "im" : null));
    }

    private static Member? Bot(string? botUserId) => botUserId is null ? null : new Member(botUserId, "BotAgent");
}
