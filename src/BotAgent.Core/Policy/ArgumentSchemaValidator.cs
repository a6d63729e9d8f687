using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace BotAgent.Core.Policy;

/// <summary>Validates step arguments against a tool's JSON schema. Schemas are parsed once per tool.</summary>
public sealed class ArgumentSchemaValidator
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };
    // Keyed by the schema's text, not the tool's name: a tool discovered at run time (MCP) may change its
    // schema after a reconnect, and a stand-in for an unavailable tool must not leave its schema behind.
    // Created on the first validation, not with the validator at start: the first use of a JsonSchema.Net type runs
    // its module initializer (every vocabulary and meta-schema), about 2.5 MB of resident memory a bot that has not
    // planned yet does not need.
    private ConcurrentDictionary<string, JsonSchema>? _schemas;

    /// <returns>One line per problem, e.g. <c>/url: Value does not match format "uri"</c>.</returns>
    public IReadOnlyList<string> Validate(string toolName, JsonElement schemaJson, JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object)
            return ["arguments must be a JSON object"];

        _ = toolName;
        var text = schemaJson.GetRawText();
        var schemas = LazyInitializer.EnsureInitialized(ref _schemas, static () => new(StringComparer.Ordinal));
        var schema = schemas.GetOrAdd(text, static t => JsonSchema.FromText(t));
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
