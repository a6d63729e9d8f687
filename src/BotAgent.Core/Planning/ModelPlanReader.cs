using System.Text.Json;

namespace BotAgent.Core.Planning;

/// <summary>
/// Reads a plan out of a model's answer, or says precisely what is wrong with it (for the repair prompt). The shape
/// is <see cref="AnswerSchemas.Plan"/>'s and the reading <see cref="PlanDocument.Read"/>'s; this finds the JSON.
/// </summary>
public static class ModelPlanReader
{
    public static Plan? Read(string? text, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        problems = errors;
        return ReadObject(text, errors) is { } root ? PlanDocument.Read(root, errors) : null;
    }

    /// <summary>The JSON object in a model's answer, or null with the reason added to <paramref name="errors"/>.</summary>
    public static JsonElement? ReadObject(string? text, List<string> errors)
    {
        var json = ExtractObject(text);
        if (json is null)
        {
            errors.Add("The answer contains no JSON object.");
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement.Clone();
            if (root.ValueKind == JsonValueKind.Object)
                return root;
            errors.Add("The answer must be a JSON object.");
            return null;
        }
        catch (JsonException ex)
        {
            errors.Add("The answer is not valid JSON: " + ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The plan with dependencies on steps that already succeeded left out: a revision covers the rest of the work,
    /// so what it depends on from before is met, not missing (a model naturally writes it down).
    /// </summary>
    public static Plan WithoutDone(Plan plan, IReadOnlySet<string> done)
    {
        if (done.Count == 0)
            return plan;
        var own = plan.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return plan with
        {
            Steps = [.. plan.Steps.Select(s => s.DependsOn is { Count: > 0 } deps && deps.Any(d => done.Contains(d) && !own.Contains(d))
                ? s with { DependsOn = deps.Where(d => !done.Contains(d) || own.Contains(d)).ToList() is { Count: > 0 } kept ? kept : null }
                : s)],
        };
    }

    /// <summary>The outermost {...} of the text, ignoring code fences and chatter around it.</summary>
    private static string? ExtractObject(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        return start >= 0 && end > start ? text[start..(end + 1)] : null;
    }
}
