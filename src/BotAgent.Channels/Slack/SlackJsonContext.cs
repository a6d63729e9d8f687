using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotAgent.Channels.Slack;

/// <summary>Source-generated JSON for what Slack sends: snake_case on the wire.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SlackEventEnvelope))]
[JsonSerializable(typeof(SlackInteraction))]
[JsonSerializable(typeof(SlackCommand))]
internal sealed partial class SlackJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For what the bot sends: emoji and accented text stay UTF-8 rather than \u escapes (smaller
    /// messages). Only ever written into JSON request bodies, never HTML.
    /// </summary>
    public static JsonSerializerOptions Wire { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
