using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace BotAgent.Core.Policy;

/// <summary>Validates step arguments against a tool's JSON schema. Schemas are parsed once per tool.</summary>
public sealed class ArgumentSchemaValidator
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    /// <returns>One line per problem, e.g. <c>/url: Value does not match format "uri"</c>.</returns>
    public IReadOnlyList<string> Validate(string toolName, JsonElement schemaJson, JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object)
            return ["arguments must be a JSON object"];

        var schema = _schemas.GetOrAdd(toolName, _ => JsonSchema.FromText(schemaJson.GetRawText()));
        var results = schema.Evaluate(args, Options);
        if (results.IsValid)
            return [];

        var problems = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
                continue;
            var where = detail.InstanceLocation.ToString();
            foreach (var error in detail.Errors.Values)
                problems.Add(string.IsNullOrEmpty(where) ? error : $"{where}: {error}");
        }
        return problems.Count > 0 ? problems.Distinct().ToList() : ["arguments do not match the tool's schema"];
    }
}
