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
        return ReadObject(text, errors) is { } root ? Read(root, errors) : null;
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

    /// <summary>A plan from a JSON object (the whole answer, or the <c>plan</c> of an answer after a step).</summary>
    public static Plan? Read(JsonElement root, List<string> errors)
    {
        var before = errors.Count;
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
                var expect = item.TryGetProperty("expect", out var e) && e.ValueKind != JsonValueKind.Null ? Expect(e, errors, where) : null;
                if (id is not null && title is not null && tool is not null && risk is not null && args.ValueKind == JsonValueKind.Object)
                    steps.Add(new PlanStep(id, title, tool, args, risk.Value, dependsOn.Count == 0 ? null : dependsOn, Expect: expect));
            }
        }

        var envelope = root.TryGetProperty("envelope", out var env) && env.ValueKind != JsonValueKind.Null ? Envelope(env, level ?? RiskLevel.ReadOnly, errors) : null;
        return errors.Count == before ? new Plan(goal!, steps, level!.Value, criteria!, envelope) : null;
    }

    private static Expectation? Expect(JsonElement e, List<string> errors, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where}: 'expect' must be an object.");
            return null;
        }
        try
        {
            var expect = e.Deserialize(Serialization.CoreJsonContext.Default.Expectation);
            if (expect is null)
                return null;
            foreach (var problem in Observation.ExpectationCheck.Problems(expect))
                errors.Add($"{where}: {problem}.");
            return expect;
        }
        catch (JsonException ex)
        {
            errors.Add($"{where}: 'expect' is not valid: {ex.Message}");
            return null;
        }
    }

    private static Envelope? Envelope(JsonElement e, RiskLevel planRisk, List<string> errors)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add("'envelope' must be an object.");
            return null;
        }
        var tools = Strings(e, "tools", errors);
        var targets = Strings(e, "targets", errors);
        RiskLevel? maxRisk = null;
        if (e.TryGetProperty("maxRisk", out var risk) && risk.ValueKind != JsonValueKind.Null)
            maxRisk = Risk(e, "maxRisk", errors, "the envelope");
        int? extra = null;
        if (e.TryGetProperty("maxExtraSteps", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            if (n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) && count >= 0)
                extra = count;
            else
                errors.Add("the envelope: 'maxExtraSteps' must be a whole number, 0 or more.");
        }
        return new Envelope(tools, targets, maxRisk ?? planRisk, extra ?? Planning.Envelope.NotProposed);
    }

    private static IReadOnlyList<string> Strings(JsonElement obj, string name, List<string> errors)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            errors.Add($"the envelope: '{name}' must be an array of strings.");
            return [];
        }
        return [.. value.EnumerateArray().Select(v => v.GetString()!).Where(v => !string.IsNullOrWhiteSpace(v))];
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
