using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotAgent.Core.Intake;

/// <summary>
/// Names a conversation (and the thread in it) everywhere: in runs, the outbox, ordering and limits. The adapter
/// that owns it fills it and keeps whatever it needs to post there again in <see cref="Address"/>, which the core
/// stores and hands back without reading.
/// </summary>
/// <param name="Adapter">Which adapter owns the conversation: <c>botframework</c> or <c>slack</c>.</param>
/// <param name="ChannelId">The adapter's channel (a Bot Framework channel id, or <c>slack</c>): identities are proven per channel.</param>
/// <param name="ConversationId">The adapter's id of the conversation.</param>
/// <param name="ThreadId">The message to reply to, so answers stay in the goal's thread.</param>
/// <param name="Bot">The bot's own account in this conversation.</param>
/// <param name="IsDirect">A 1:1 chat between the bot and one person.</param>
/// <param name="DirectTo">A member to reach in a 1:1 conversation the adapter opens (proactive messages); null otherwise.</param>
/// <param name="Space">
/// The conversation several <see cref="ConversationId"/>s belong to, when the adapter gives each thread its own id
/// (a click in any thread of the space is a click in the same conversation); null when the id is the space.
/// </param>
public sealed record ConversationKey(
    string Adapter,
    string ChannelId,
    string ConversationId,
    string? ThreadId,
    Member? Bot,
    bool IsDirect = false,
    string? DirectTo = null,
    string? Space = null)
{
    /// <summary>
    /// The adapter's wire address (where to send, which tenant): opaque to the core. Stored beside the key's own
    /// fields, so rows written before the key had this shape read the same. Not init-only: the serializer cannot fill
    /// an extension-data property through the constructor, so only this type sets it, after construction.
    /// </summary>
    [JsonExtensionData]
    [JsonInclude]
    internal Dictionary<string, JsonElement>? Address { get; set; }

    private static readonly HashSet<string> OwnFields = new(
        typeof(ConversationKey).GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>Keys are values, address included (compared by its parts).</summary>
    public bool Equals(ConversationKey? other) =>
        other is not null
        && (Adapter, ChannelId, ConversationId, ThreadId, Bot, IsDirect, DirectTo, Space)
            == (other.Adapter, other.ChannelId, other.ConversationId, other.ThreadId, other.Bot, other.IsDirect, other.DirectTo, other.Space)
        && SameAddress(Address, other.Address);

    public override int GetHashCode() => HashCode.Combine(Adapter, ChannelId, ConversationId, ThreadId, Space);

    private static bool SameAddress(Dictionary<string, JsonElement>? a, Dictionary<string, JsonElement>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a is null || a.All(part => b!.TryGetValue(part.Key, out var other) && part.Value.GetRawText() == other.GetRawText()));

    /// <summary>One part of the adapter's address, or null.</summary>
    public string? AddressPart(string name) =>
        Address is not null && Address.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>This key with the adapter's address parts set (null values are left out).</summary>
    /// <exception cref="ArgumentException">A part is named like one of the key's own fields, which it would overwrite when read back.</exception>
    public ConversationKey WithAddress(params ReadOnlySpan<(string Name, string? Value)> parts)
    {
        var address = Address is null ? [] : new Dictionary<string, JsonElement>(Address);
        foreach (var (name, value) in parts)
        {
            if (OwnFields.Contains(name))
                throw new ArgumentException($"The address part '{name}' has the name of one of the key's own fields.", nameof(parts));
            if (value is null)
                address.Remove(name);
            else
                address[name] = JsonSerializer.SerializeToElement(value, Serialization.CoreJsonContext.Default.String);
        }
        var copy = this with { };
        copy.Address = address.Count == 0 ? null : address;
        return copy;
    }

    /// <summary>The 1:1 conversation with <paramref name="memberId"/> next to this one (same adapter, channel, address and bot).</summary>
    public ConversationKey DirectWith(string memberId) =>
        this with { ConversationId = "direct:" + memberId, ThreadId = null, IsDirect = true, DirectTo = memberId, Space = null };

    /// <summary>
    /// True when <paramref name="other"/> is the same conversation: the same id, or two threads of one space. Keys
    /// stored before spaces existed compare by id.
    /// </summary>
    public bool IsSameConversationAs(ConversationKey other) =>
        string.Equals(Adapter, other.Adapter, StringComparison.Ordinal)
        && string.Equals(ChannelId, other.ChannelId, StringComparison.Ordinal)
        && (string.Equals(ConversationId, other.ConversationId, StringComparison.Ordinal)
            || string.Equals(Space ?? ConversationId, other.Space ?? other.ConversationId, StringComparison.Ordinal));

    /// <summary>Messages to one conversation are delivered in order; this keys that order.</summary>
    public string OrderingKey => OrderingKeyOf(Adapter, ChannelId, ConversationId);

    /// <summary>The ordering key of a conversation, for adapters that key their inbox items before they build the whole key.</summary>
    public static string OrderingKeyOf(string adapter, string channelId, string? conversationId) => $"{adapter}:{channelId}:{conversationId}";

    /// <summary>The conversation id inside an ordering key (for logs).</summary>
    public static string ConversationIdOf(string orderingKey) => orderingKey.Split(':', 3) is [_, _, var id] ? id : orderingKey;
}
