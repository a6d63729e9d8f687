using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Observation;
using BotAgent.Core.Serialization;

namespace BotAgent.Core.Planning;

/// <summary>
/// The plan's JSON form (camelCase, as in ARCHITECTURE.md), its version hash, and the one reader from JSON to
/// <see cref="Plan"/>: stored plans as written, model answers as <see cref="AnswerSchemas.Plan"/> defines them.
/// </summary>
public static class PlanDocument
{
    public static string ToJson(Plan plan) => JsonSerializer.Serialize(plan, CoreJsonContext.Default.Plan);

    public static Plan FromJson(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.Plan)
        ?? throw new JsonException("The plan JSON is null.");

    /// <summary>
    /// A plan from a model's answer (the whole answer, or the <c>plan</c> of an answer after a step), or null with
    /// what is wrong with it added to <paramref name="problems"/>, for the repair prompt.
    /// </summary>
    public static Plan? Read(JsonElement answer, List<string> problems)
    {
        var schema = AnswerSchemas.Plan;
        var json = schema.Canonical(answer);
        var before = problems.Count;
        problems.AddRange(schema.Problems(json));
        if (problems.Count > before)
            return null;

        Plan plan;
        try
        {
            plan = Tidied(WithEnvelopeDefaults(json).Deserialize(CoreJsonContext.Default.Plan) ?? throw new JsonException("The plan JSON is null."));
        }
        catch (JsonException ex)
        {
            problems.Add(schema.Unreadable(json, ex));
            return null;
        }
        problems.AddRange(Problems(plan));
        return problems.Count > before ? null : plan;
    }

    /// <summary>
    /// What the schema cannot say: an expectation's parts that contradict each other or check nothing, and numbers
    /// beyond a double (read as infinity, which the plan document cannot write back). Ids that repeat and dependencies
    /// on later steps are the plan validator's, which checks every planner's plans.
    /// </summary>
    private static IEnumerable<string> Problems(Plan plan)
    {
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            if (plan.Steps[i].Expect is not { } expect)
                continue;
            foreach (var (name, value) in new[] { ("above", expect.Above), ("below", expect.Below) })
            {
                if (value is { } number && !double.IsFinite(number))
                    yield return $"step {i + 1}: 'expect.{name}' must be a number.";
            }
            foreach (var problem in ExpectationCheck.Problems(expect))
                yield return $"step {i + 1}: {problem}.";
        }
    }

    /// <summary>
    /// An envelope's parts a model left out: no tools or targets, the plan's own risk, and the number of extra steps
    /// left to policy.
    /// </summary>
    private static JsonObject WithEnvelopeDefaults(JsonObject plan)
    {
        if (plan["envelope"] is JsonObject envelope)
        {
            envelope["tools"] ??= new JsonArray();
            envelope["targets"] ??= new JsonArray();
            envelope["maxRisk"] ??= plan["riskLevel"]!.DeepClone();
            envelope["maxExtraSteps"] ??= Envelope.NotProposed;
        }
        return plan;
    }

    /// <summary>No empty dependency lists (the hash of a plan does not depend on how a model wrote "none"), no blank names.</summary>
    private static Plan Tidied(Plan plan) => plan with
    {
        Steps = [.. plan.Steps.Select(s => s.DependsOn is { Count: 0 } ? s with { DependsOn = null } : s)],
        Envelope = plan.Envelope is { } envelope
            ? envelope with { Tools = [.. envelope.Tools.Where(t => !string.IsNullOrWhiteSpace(t))], Targets = [.. envelope.Targets.Where(t => !string.IsNullOrWhiteSpace(t))] }
            : null,
    };

    /// <summary>
    /// A short hash of the plan's canonical JSON. Cards carry it so that a click on a card showing an
    /// older plan can be told apart from a click on the current one.
    /// </summary>
    public static string Hash(Plan plan)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(ToJson(plan)));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 8));
    }
}
