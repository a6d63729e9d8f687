using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace BotAgent.Testing;

/// <summary>Evaluates JSON against a schema and lists the errors, one per line (empty when valid).</summary>
internal static class SchemaErrors
{
    public static IReadOnlyList<string> Of(JsonSchema schema, JsonNode document)
    {
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(document), new EvaluationOptions { OutputFormat = OutputFormat.List });
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

    public static void Assert(IReadOnlyList<string> errors, string what, JsonNode document)
    {
        if (errors.Count > 0)
            throw new InvalidOperationException($"The {what}:\n" + string.Join("\n", errors.Take(20)) + "\n" + document.ToJsonString());
    }
}
