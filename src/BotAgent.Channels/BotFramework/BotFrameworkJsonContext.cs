using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotAgent.Channels.BotFramework;

/// <summary>Source-generated JSON for the Bot Framework wire format.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    // A duplicated key is ambiguous (which one did the sender mean?): refuse it as malformed at the edge.
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(InvokeResponseBody))]
public sealed partial class BotFrameworkJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For what the bot sends: emoji and accented text stay as UTF-8 rather than \u escapes, which keeps
    /// cards smaller (Teams limits a message to 100 KB). Only ever written into JSON bodies, never HTML.
    /// </summary>
    public static BotFrameworkJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
