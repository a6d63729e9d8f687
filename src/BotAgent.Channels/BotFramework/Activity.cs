using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// A Bot Framework activity: the fields BotAgent reads and writes. Unknown fields are kept
/// (<see cref="Extra"/>) so nothing is lost, as the protocol requires of receivers.
/// </summary>
public sealed class Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Timestamp { get; set; }
    public string? ServiceUrl { get; set; }
    public string? ChannelId { get; set; }
    public ChannelAccount? From { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public string? ReplyToId { get; set; }
    public string? Text { get; set; }
    public string? TextFormat { get; set; }
    public string? Locale { get; set; }
    public string? Summary { get; set; }
    public List<Attachment>? Attachments { get; set; }
    public List<JsonObject>? Entities { get; set; }
    public JsonObject? ChannelData { get; set; }
    public string? Name { get; set; }
    public JsonNode? Value { get; set; }
    public string? Action { get; set; }
    public List<ChannelAccount>? MembersAdded { get; set; }
    public List<ChannelAccount>? MembersRemoved { get; set; }

    /// <summary>
    /// Who vouched for this activity when it arrived (<see cref="InboundVoucher"/>); set by <c>/api/messages</c>, which
    /// overwrites whatever a sender put here, and kept with the activity in the inbox. Never sent to a channel.
    /// </summary>
    [JsonPropertyName("botagent.vouchedBy")]
    public string? VouchedBy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }
}

public sealed class ConversationAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public bool? IsGroup { get; set; }
    public string? ConversationType { get; set; }
    public string? TenantId { get; set; }
}

public sealed class Attachment
{
    public string? ContentType { get; set; }
    public JsonNode? Content { get; set; }
    public string? ContentUrl { get; set; }
    public string? Name { get; set; }
}

/// <summary>The Connector's answer to a send or update.</summary>
public sealed class ResourceResponse
{
    public string? Id { get; set; }
}

/// <summary>The HTTP body that answers an invoke activity.</summary>
public sealed class InvokeResponseBody
{
    public int StatusCode { get; set; }
    public string? Type { get; set; }
    public JsonNode? Value { get; set; }
}
