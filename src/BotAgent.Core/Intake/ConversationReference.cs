namespace BotAgent.Core.Intake;

/// <summary>
/// Enough to post into a thread later, from any instance, after a restart.
/// The channel adapter fills it; the core only stores it and hands it back.
/// </summary>
/// <param name="Adapter">Which adapter owns the conversation: <c>botframework</c> or <c>slack</c>.</param>
/// <param name="ChannelId">The Bot Framework channel (<c>msteams</c>, <c>emulator</c>, …) or <c>slack</c>.</param>
/// <param name="ConversationId">Conversation id (Teams channel threads include <c>;messageid=</c>) or Slack channel id.</param>
/// <param name="ThreadId">The message to reply to: the goal's activity id, or the Slack <c>thread_ts</c>.</param>
/// <param name="ServiceUrl">Bot Framework Connector base URL; null for Slack.</param>
/// <param name="Bot">The bot's own account in this conversation.</param>
/// <param name="TenantId">Teams tenant id, when known.</param>
/// <param name="ConversationType">Teams <c>personal</c>, <c>groupChat</c> or <c>channel</c>, when known.</param>
/// <param name="DirectTo">A member to reach in a 1:1 conversation the channel creates (proactive messages); null otherwise.</param>
public sealed record ConversationReference(
    string Adapter,
    string ChannelId,
    string ConversationId,
    string? ThreadId,
    string? ServiceUrl,
    Member? Bot,
    string? TenantId = null,
    string? ConversationType = null,
    string? DirectTo = null)
{
    /// <summary>The 1:1 conversation with <paramref name="memberId"/> next to this one (same channel, tenant and bot).</summary>
    public ConversationReference DirectWith(string memberId) =>
        this with { ConversationId = "direct:" + memberId, ThreadId = null, ConversationType = "personal", DirectTo = memberId };

    /// <summary>A 1:1 chat between the bot and one person (a Teams personal chat, a Slack direct message).</summary>
    public bool IsDirect => ConversationType is "personal" or "im";

    /// <summary>Messages to one conversation are delivered in order; this keys that order.</summary>
    public string OrderingKey => $"{Adapter}:{ChannelId}:{ConversationId}";
}
