using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>One Web API call the bot made to the test Slack server, and how it was answered.</summary>
public sealed record SlackCall(
    int Sequence,
    string Method,
    JsonObject Body,
    string? Authorization,
    int Status,
    bool Ok,
    string? Error,
    string? Ts)
{
    public string? Channel => Str(Body["channel"]);
    public string? ThreadTs => Str(Body["thread_ts"]);
    public string? User => Str(Body["user"]);
    public string? Text => Str(Body["text"]);
    public JsonArray? Blocks => Body["blocks"] as JsonArray;

    /// <summary>All text people see: the blocks' text objects (or the fallback text when there are none).</summary>
    public string BlockText => Blocks is null ? Text ?? "" : BlockTexts.Of(Blocks);

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
