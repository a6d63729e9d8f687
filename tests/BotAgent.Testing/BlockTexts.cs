using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>What people read in a Block Kit message, for assertions.</summary>
public static class BlockTexts
{
    /// <summary>The text of every text object, in order, one per line.</summary>
    public static string Of(JsonNode? node)
    {
        var parts = new List<string>();
        Collect(node, parts);
        return string.Join("\n", parts);
    }

    public static IReadOnlyList<JsonObject> Buttons(JsonArray blocks) =>
        [.. blocks.OfType<JsonObject>()
            .Where(b => b["type"]?.GetValue<string>() == "actions")
            .SelectMany(b => (b["elements"] as JsonArray ?? []).OfType<JsonObject>())];

    private static void Collect(JsonNode? node, List<string> parts)
    {
        switch (node)
        {
            case JsonObject obj when obj["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                && obj["type"]!.GetValue<string>() is "plain_text" or "mrkdwn":
                parts.Add(obj["text"]?.GetValue<string>() ?? "");
                break;
            case JsonObject obj:
                foreach (var (_, child) in obj)
                    Collect(child, parts);
                break;
            case JsonArray array:
                foreach (var child in array)
                    Collect(child, parts);
                break;
        }
    }
}
