using System.Text.Json;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Planning;

/// <summary>
/// Reads the model's summary: JSON with the text and the goal verdict, or, from a server that ignored the response
/// format, plain text (then the verdict is left to the steps' expectations).
/// </summary>
public static class ModelSummaryReader
{
    /// <param name="stepIds">The steps that ran: evidence naming anything else is dropped.</param>
    /// <returns>Null for JSON that carries no summary: the plain summary is used instead of posting raw JSON.</returns>
    public static RunSummary? Read(string text, IReadOnlySet<string> stepIds)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith("```", StringComparison.Ordinal))
            return new RunSummary(trimmed);
        if (ModelPlanReader.ReadObject(trimmed, []) is not { } root)
            return new RunSummary(trimmed);
        if (!root.TryGetProperty("summary", out var summary) || summary.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(summary.GetString()))
            return null;

        GoalVerdict? goal = null;
        if (root.TryGetProperty("verdict", out var verdict) && verdict.ValueKind == JsonValueKind.String
            && GoalVerdict.TryParse(verdict.GetString(), out var status))
        {
            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()!.Trim() : "";
            var evidence = root.TryGetProperty("evidence", out var e) && e.ValueKind == JsonValueKind.Array
                ? e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).Where(stepIds.Contains).Distinct().ToList()
                : [];
            goal = new GoalVerdict(status, Reporting.TextExcerpt.Truncate(reason.Length == 0 ? "the model gave no reason" : reason, 500), evidence);
        }
        return new RunSummary(summary.GetString()!.Trim(), goal);
    }
}
