using System.Text.Json;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Planning;

/// <summary>Reads a plan out of a model's answer, or says precisely what is wrong with it (for the repair prompt).</summary>
public static class ModelPlanReader
{
    public static Plan? Read(string? text, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        problems = errors;
        var json = ExtractObject(text);
        if (json is null)
        {
            errors.Add("The answer contains no JSON object.");
            return null;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            errors.Add("The answer is not valid JSON: " + ex.Message);
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("The answer must be a JSON object.");
            return null;
        }

        var goal = String(root, "goal", errors, "the plan");
        var criteria = String(root, "successCriteria", errors, "the plan");
        var level = Risk(root, "riskLevel", errors, "the plan");
        var steps = new List<PlanStep>();
        if (!root.TryGetProperty("steps", out var array) || array.ValueKind != JsonValueKind.Array)
            errors.Add("'steps' must be an array.");
        else
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                index++;
                var where = $"step {index}";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{where} must be an object.");
                    continue;
                }
                var id = String(item, "id", errors, where);
                var title = String(item, "title", errors, where);
                var tool = String(item, "tool", errors, where);
                var risk = Risk(item, "risk", errors, where);
                if (!item.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{where}: 'args' must be an object.");
                    args = default;
                }
                List<string> dependsOn = [];
                if (item.TryGetProperty("dependsOn", out var deps) && deps.ValueKind == JsonValueKind.Array)
                    dependsOn = [.. deps.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!)];
                if (id is not null && title is not null && tool is not null && risk is not null && args.ValueKind == JsonValueKind.Object)
                    steps.Add(new PlanStep(id, title, tool, args, risk.Value, dependsOn.Count == 0 ? null : dependsOn));
            }
        }

        return errors.Count == 0 ? new Plan(goal!, steps, level!.Value, criteria!) : null;
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

    private static string? String(JsonElement obj, string name, List<string> errors, string where)
    {
        if (obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            return value.GetString();
        errors.Add($"{where}: '{name}' must be a non-empty string.");
        return null;
    }

    private static RiskLevel? Risk(JsonElement obj, string name, List<string> errors, string where)
    {
        if (obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && RiskLevels.TryParse(value.GetString(), out var risk))
            return risk;
        errors.Add($"{where}: '{name}' must be one of read_only, write, high.");
        return null;
    }
}
