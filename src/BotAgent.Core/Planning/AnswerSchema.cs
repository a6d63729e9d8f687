using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Serialization;
using Json.Schema;
using Microsoft.Extensions.AI;

namespace BotAgent.Core.Planning;

/// <summary>
/// The JSON schema of one kind of model answer, and everything that comes from it: the <see cref="Text"/> a prompt
/// shows, the structured-output <see cref="ResponseFormat"/>, the answer as a reader sees it (<see cref="Canonical"/>)
/// and the path-named <see cref="Problems"/> a repair prompt sends back. The schemas are in <see cref="AnswerSchemas"/>.
/// </summary>
public sealed partial class AnswerSchema
{
    /// <summary>The pattern of a string that must say something: not empty, not only spaces.</summary>
    public const string NonBlank = @"\S";

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    private readonly JsonObject _schema;

    // Built on the first validation: the first use of a JsonSchema.Net type loads every vocabulary and meta-schema,
    // memory a bot that has not asked a model anything does not need.
    private readonly Lazy<JsonSchema> _evaluator;

    internal AnswerSchema(string name, string description, string schema)
    {
        _schema = JsonNode.Parse(schema)!.AsObject();
        Text = _schema.ToJsonString();
        ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(_schema, CoreJsonContext.Default.JsonObject), name, description);
        _evaluator = new(() => JsonSchema.FromText(Text));
    }

    /// <summary>The schema as one line of JSON, for a prompt.</summary>
    public string Text { get; }

    /// <summary>The response format for servers that support structured output.</summary>
    public ChatResponseFormatJson ResponseFormat { get; }

    /// <summary>
    /// The answer as the schema reads it: only the properties the schema names (anything else a model adds is not
    /// read), null taken as absent (the strict form makes models write null for what they leave out), and an enum
    /// value in another spelling (<c>Done</c>, <c>read-only</c>, <c>not met</c>) written as the schema lists it.
    /// </summary>
    public JsonObject Canonical(JsonElement answer) =>
        Canonical(_schema, answer) as JsonObject ?? throw new ArgumentException("The answer is not a JSON object.", nameof(answer));

    /// <summary>What is wrong with a <see cref="Canonical"/> answer, one line per place, named the way people name it.</summary>
    public IReadOnlyList<string> Problems(JsonObject answer)
    {
        var results = _evaluator.Value.Evaluate(JsonSerializer.SerializeToElement(answer, CoreJsonContext.Default.JsonObject), Evaluation);
        if (results.IsValid)
            return [];
        var problems = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is not { Count: > 0 } errors)
                continue;
            var at = Pointer(detail.InstanceLocation.ToString());
            foreach (var keyword in errors.Keys)
            {
                if (keyword == "required")
                    problems.AddRange(Missing(answer, at));
                else
                    problems.Add(Wrong(answer, at));
            }
        }
        return problems.Count > 0 ? [.. problems.Distinct()] : ["The answer does not match its JSON schema."];
    }

    /// <summary>
    /// The problem with an answer that matches the schema but holds a value the record cannot (a count beyond what
    /// an <see cref="int"/> holds, a number too large for a <see cref="double"/>), from the deserializer's path.
    /// </summary>
    public string Unreadable(JsonObject answer, JsonException exception) =>
        exception.Path is { Length: > 1 } path ? Wrong(answer, JsonPath(path)) : "The answer could not be read: " + exception.Message;

    private static JsonNode? Canonical(JsonObject schema, JsonElement value)
    {
        if (schema["properties"] is JsonObject properties && value.ValueKind == JsonValueKind.Object)
        {
            var read = new JsonObject();
            foreach (var property in value.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Null && properties[property.Name] is JsonObject declared && !read.ContainsKey(property.Name))
                    read[property.Name] = Canonical(declared, property.Value);
            }
            return read;
        }
        if (schema["items"] is JsonObject items && value.ValueKind == JsonValueKind.Array)
            return new JsonArray([.. value.EnumerateArray().Select(item => Canonical(items, item))]);
        if (schema["enum"] is JsonArray names && value.ValueKind == JsonValueKind.String)
            return Spelled(names, value.GetString()!);
        return JsonNode.Parse(value.GetRawText());
    }

    private static JsonValue Spelled(JsonArray names, string value)
    {
        var key = WireNames.Key(value);
        var name = names.Select(n => n?.GetValue<string>()).FirstOrDefault(n => n is not null && WireNames.Key(n) == key);
        return JsonValue.Create(name ?? value);
    }
}
