using System.Text.Json.Nodes;
using Json.Schema;

namespace BotAgent.Testing;

/// <summary>Validates cards against the official Adaptive Card 1.5 JSON schema (a copy of ../shared/schemas).</summary>
public static class AdaptiveCardSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "adaptive-card-1.5.json"))));

    /// <summary>Errors, one per line; empty when valid. The Teams-only top-level <c>msteams</c> property is set aside.</summary>
    public static IReadOnlyList<string> Validate(JsonNode card)
    {
        var copy = card.DeepClone().AsObject();
        copy.Remove("msteams");
        return SchemaErrors.Of(Schema.Value, copy);
    }

    public static void AssertValid(JsonNode card) =>
        SchemaErrors.Assert(Validate(card), "card does not validate against adaptive-card-1.5.json", card);
}
