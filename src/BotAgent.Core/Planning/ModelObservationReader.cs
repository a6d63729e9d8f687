using System.Text.Json;

namespace BotAgent.Core.Planning;

/// <summary>Reads a model's answer after a step (continue, revise with a plan, or done), or says precisely what is wrong with it.</summary>
public static class ModelObservationReader
{
    public static ObservationAnswer? Read(string? text, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        problems = errors;
        if (ModelPlanReader.ReadObject(text, errors) is not { } root)
            return null;

        var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()!.Trim() : "";
        if (!root.TryGetProperty("decision", out var d) || d.ValueKind != JsonValueKind.String)
        {
            errors.Add("'decision' is required: one of continue, revise, done.");
            return null;
        }
        var decision = d.GetString()!.Trim().ToLowerInvariant() switch
        {
            "continue" => ObserveDecision.Continue,
            "revise" => ObserveDecision.Revise,
            "done" => (ObserveDecision?)ObserveDecision.Done,
            _ => null,
        };
        if (decision is null)
        {
            errors.Add($"'decision' must be one of continue, revise, done (not '{d.GetString()}').");
            return null;
        }
        if (decision != ObserveDecision.Revise)
            return new ObservationAnswer(decision.Value, reason);

        if (!root.TryGetProperty("plan", out var planElement) || planElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add("A 'revise' decision needs 'plan': the revised plan for the remaining work.");
            return null;
        }
        var plan = ModelPlanReader.Read(planElement, errors);
        return plan is null ? null : new ObservationAnswer(ObserveDecision.Revise, reason, plan);
    }
}
