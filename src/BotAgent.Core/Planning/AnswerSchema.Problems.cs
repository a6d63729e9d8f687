using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotAgent.Core.Reporting;

namespace BotAgent.Core.Planning;

// Problems name the place in the answer as people would ("'goal'", "step 2: 'args'", "the envelope: 'maxRisk'",
// "step 1: 'expect.minCount'") and say what the schema wants there, so the model can correct exactly that part.
public sealed partial class AnswerSchema
{
    /// <summary>One segment of a place in the answer: a property name or an array index, and the schema there.</summary>
    private readonly record struct Segment(string Name, bool IsIndex, JsonObject Schema);

    private IEnumerable<string> Missing(JsonObject answer, IReadOnlyList<string> at)
    {
        var path = Walk(at);
        var schema = path.Count == 0 ? _schema : path[^1].Schema;
        var present = Value(answer, path) as JsonObject;
        foreach (var name in (schema["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()))
        {
            if (present?.ContainsKey(name) != true && schema["properties"]?[name] is JsonObject required)
                yield return $"{Place([.. path, new Segment(name, false, required)])} is required: {Describe(required)}.";
        }
    }

    private string Wrong(JsonObject answer, IReadOnlyList<string> at)
    {
        var path = Walk(at);
        if (path.Count == 0)
            return "The answer must be " + Describe(_schema) + ".";
        var schema = path[^1].Schema;
        var not = schema["enum"] is not null && Value(answer, path) is JsonValue value && value.TryGetValue<string>(out var text)
            ? $" (not '{TextExcerpt.Truncate(text, 40)}')"
            : "";
        return $"{Place(path)} must be {Describe(schema)}{not}.";
    }

    /// <summary>
    /// The schema along a place in the answer. A place inside an array of plain values is the array: "'tools' must
    /// be an array of strings" says more than naming the third string.
    /// </summary>
    private List<Segment> Walk(IReadOnlyList<string> at)
    {
        var path = new List<Segment>();
        var schema = _schema;
        foreach (var name in at)
        {
            if (schema["properties"]?[name] is JsonObject property)
                path.Add(new Segment(name, false, schema = property));
            else if (schema["items"] is JsonObject items && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                if (!Types(items).Contains("object"))
                    break;
                path.Add(new Segment(name, true, schema = items));
            }
            else
                break;
        }
        return path;
    }

    /// <summary>"'goal'", "step 2", "step 2: 'args'", "the envelope: 'maxRisk'", "step 1: 'expect.minCount'".</summary>
    private static string Place(IReadOnlyList<Segment> path)
    {
        string? label = null;
        var names = new List<string>();
        foreach (var segment in path)
        {
            if (segment.IsIndex && names.Count > 0)
            {
                label = $"{names[^1].TrimEnd('s')} {int.Parse(segment.Name, CultureInfo.InvariantCulture) + 1}";
                names.Clear();
            }
            else
                names.Add(segment.Name);
        }
        if (label is null && names.Count > 1)
        {
            label = "the " + names[0];
            names.RemoveAt(0);
        }
        var field = names.Count == 0 ? null : $"'{string.Join('.', names)}'";
        return label is null ? field! : field is null ? label : $"{label}: {field}";
    }

    /// <summary>What the schema wants, in words: "a non-empty string", "one of read_only, write, high", "an array of strings".</summary>
    private static string Describe(JsonObject schema)
    {
        if (schema["enum"] is JsonArray values)
            return "one of " + string.Join(", ", values.OfType<JsonValue>().Select(v => v.GetValue<string>()));
        return Types(schema).FirstOrDefault(t => t != "null") switch
        {
            "string" => schema["pattern"]?.GetValue<string>() == NonBlank ? "a non-empty string" : "a string",
            "object" => "an object",
            "array" => schema["items"] is JsonObject items && Types(items).Contains("string") ? "an array of strings" : "an array",
            "integer" => schema["minimum"] is JsonValue minimum ? $"a whole number, {minimum.ToJsonString()} or more" : "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            _ => "as the schema says",
        };
    }

    private static List<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray types => [.. types.Select(t => t!.GetValue<string>())],
        JsonValue type => [type.GetValue<string>()],
        _ => [],
    };

    private static JsonNode? Value(JsonObject answer, IReadOnlyList<Segment> path)
    {
        JsonNode? node = answer;
        foreach (var segment in path)
            node = segment.IsIndex ? (node as JsonArray)?[int.Parse(segment.Name, CultureInfo.InvariantCulture)] : (node as JsonObject)?[segment.Name];
        return node;
    }

    /// <summary>A JSON pointer's segments: <c>/steps/0/args</c> is steps, 0, args.</summary>
    private static List<string> Pointer(string pointer) =>
        [.. pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    /// <summary>A deserializer's path's segments: <c>$.steps[0].expect.minCount</c> is steps, 0, expect, minCount.</summary>
    private static List<string> JsonPath(string path) => [.. PathSegment().Matches(path).Select(m => m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["index"].Value)];

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<name>[^']*)'\]", RegexOptions.CultureInvariant, 200)]
    private static partial Regex PathSegment();
}
