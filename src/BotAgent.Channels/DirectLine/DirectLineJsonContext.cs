using System.Text.Json.Serialization;
using BotAgent.Channels.BotFramework;

namespace BotAgent.Channels.DirectLine;

/// <summary>Source-generated JSON for the Direct Line 3.0 wire format and the bot's own tokens.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(DirectLineGrant))]
[JsonSerializable(typeof(DirectLineConversation))]
[JsonSerializable(typeof(DirectLineTokenRequest))]
[JsonSerializable(typeof(ResourceResponse))]
internal sealed partial class DirectLineJsonContext : JsonSerializerContext;

/// <summary>The answer to starting, reconnecting to or getting a token for a conversation.</summary>
internal sealed record DirectLineConversation(
    string ConversationId,
    string? Token,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    string? StreamUrl);

/// <summary>The optional body of <c>POST /tokens/generate</c> and <c>POST /conversations</c>: whom the token is for.</summary>
internal sealed class DirectLineTokenRequest
{
    public ChannelAccount? User { get; set; }
}
