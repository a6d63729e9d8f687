using System.Text.Json.Serialization;

namespace BotAgent.Channels.BotFramework;

/// <summary>Source-generated JSON for the Bot Framework wire format.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(InvokeResponseBody))]
public sealed partial class BotFrameworkJsonContext : JsonSerializerContext;
