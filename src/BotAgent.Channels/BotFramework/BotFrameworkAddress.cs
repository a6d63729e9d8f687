using BotAgent.Core.Intake;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// The parts of a Bot Framework conversation's address the core stores for the adapter: where the Connector is,
/// which tenant, which kind of conversation. Named as they were when the conversation key held them as fields, so
/// stored runs and outbox rows read the same.
/// </summary>
public static class BotFrameworkAddress
{
    public const string ServiceUrl = "serviceUrl";
    public const string TenantId = "tenantId";
    public const string ConversationType = "conversationType";

    /// <summary>Teams' word for a 1:1 chat with the bot.</summary>
    public const string Personal = "personal";

    public static string? ServiceUrlOf(ConversationKey conversation) => conversation.AddressPart(ServiceUrl);

    public static string? TenantOf(ConversationKey conversation) => conversation.AddressPart(TenantId);

    /// <summary>A Teams personal chat (a 1:1 conversation the bot opened is one too).</summary>
    public static bool IsPersonal(ConversationKey conversation) =>
        conversation.IsDirect || conversation.AddressPart(ConversationType) == Personal;

    /// <summary>
    /// Teams gives each thread of a channel its own conversation id, the channel's plus <c>;messageid=…</c>: the
    /// channel's is the space that a click in any of its threads belongs to.
    /// </summary>
    public static string? SpaceOf(string conversationId) =>
        conversationId.IndexOf(';') is var cut and > 0 ? conversationId[..cut] : null;
}
