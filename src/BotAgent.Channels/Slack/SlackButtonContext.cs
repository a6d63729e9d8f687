using System.Text.Json.Serialization;

namespace BotAgent.Channels.Slack;

/// <summary>Button values: written by the renderer, read back from clicks; camelCase and compact.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SlackButtonValue))]
internal sealed partial class SlackButtonContext : JsonSerializerContext;
