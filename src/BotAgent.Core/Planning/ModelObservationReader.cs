using System.Text.Json;
using BotAgent.Core.Serialization;

namespace BotAgent.Core.Planning;

/// <summary>
/// Reads a model's answer after a step (continue, revise with a plan, or done), or says precisely what is wrong with
/// it. The shape is <see cref="AnswerSchemas.Observation"/>'s; a revised plan is read by <see cref="PlanDocument.Read"/>.
/// </summary>
public static class ModelObservationReader
{
    public static ObservationAnswer? Read(string? text, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        problems = errors;
        if (ModelPlanReader.ReadObject(text, errors) is not { } root)
            return null;

        var schema = AnswerSchemas.Observation;
        var answer = schema.Canonical(root);
        // The plan is read only for a revision, as a plan of its own: beside continue or done it is ignored, and its
        // problems are named from the plan's root, as in any plan answer.
        answer.Remove("plan");
        errors.AddRange(schema.Problems(answer));
        if (errors.Count > 0 || !WireNames.TryParse<ObserveDecision>(answer["decision"]!.GetValue<string>(), out var decision))
            return null;

        var reason = answer["reason"]?.GetValue<string>().Trim() ?? "";
        if (decision != ObserveDecision.Revise)
            return new ObservationAnswer(decision, reason);

        // What the schema cannot say: a revision carries its plan. JSON Schema could (if/then), but the schema is also
        // the structured-output format, and strict servers take no conditionals.
        if (!root.TryGetProperty("plan", out var planElement) || planElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add("A 'revise' decision needs 'plan': the revised plan for the remaining work.");
            return null;
        }
        var plan = PlanDocument.Read(planElement, errors);
        return plan is null ? null : new ObservationAnswer(ObserveDecision.Revise, reason, plan);
    }
}
