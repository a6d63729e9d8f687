using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>One request the bot made to the test channel's Connector API.</summary>
public sealed record ConnectorCall(
    int Sequence,
    string Method,
    string Path,
    string ConversationId,
    string? ActivityId,
    JsonObject? Body,
    int Status,
    string? AssignedId,
    string? Authorization)
{
    public bool IsPost => Method == "POST";
    public bool IsUpdate => Method == "PUT";
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The Adaptive Card the activity carries, if any.</summary>
    public JsonObject? Card => Body?["attachments"]?[0]?["content"] as JsonObject;

    /// <summary>All text on the card (TextBlocks and facts), for assertions about what people see.</summary>
    public string CardText => Card is null ? Body?["text"]?.GetValue<string>() ?? "" : CardTexts.Of(Card);
}

public static class CardTexts
{
    public static string Of(JsonNode? node)
    {
        var parts = new List<string>();
        Collect(node, parts);
        return string.Join("\n", parts);
    }

    private static void Collect(JsonNode? node, List<string> parts)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"]?.GetValue<string>() == "TextBlock" && obj["text"] is JsonValue text)
                    parts.Add(text.GetValue<string>());
                if (obj["title"] is JsonValue title && obj["value"] is JsonValue value && value.TryGetValue<string>(out var v))
                    parts.Add($"{title.GetValue<string>()}: {v}");
                foreach (var (_, child) in obj)
                    Collect(child, parts);
                break;
            case JsonArray array:
                foreach (var child in array)
                    Collect(child, parts);
                break;
        }
    }

    /// <summary>The card's buttons (Action.Submit / Action.Execute), top level and inside action sets.</summary>
    public static IReadOnlyList<JsonObject> Actions(JsonObject card) =>
        [.. (card["actions"] as JsonArray ?? []).OfType<JsonObject>()];
}
