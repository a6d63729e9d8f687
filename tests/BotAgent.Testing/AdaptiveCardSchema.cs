using System.Text.Json;
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
        var element = JsonSerializer.SerializeToElement(copy);
        var result = Schema.Value.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
            return [];
        var errors = new List<string>();
        foreach (var detail in result.Details ?? [])
        {
            foreach (var error in detail.Errors?.Values ?? Enumerable.Empty<string>())
                errors.Add($"{detail.InstanceLocation}: {error}");
        }
        return errors.Count == 0 ? ["invalid"] : errors;
    }

    public static void AssertValid(JsonNode card)
    {
        var errors = Validate(card);
        if (errors.Count > 0)
            throw new InvalidOperationException("The card does not validate against adaptive-card-1.5.json:\n" + string.Join("\n", errors.Take(20)) + "\n" + card.ToJsonString());
    }
}
