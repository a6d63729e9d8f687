using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;

namespace BotAgent.Core.Observation;

/// <summary>What a revision changed, step by step, for the card that asks for approval again.</summary>
public static class PlanDiff
{
    /// <param name="done">Steps of the old plan that already succeeded: not "removed", just done.</param>
    public static IReadOnlyList<string> Compare(Plan previous, Plan revised, IReadOnlySet<string> done)
    {
        var changes = new List<string>();
        var before = previous.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var after = revised.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var step in revised.Steps)
        {
            if (!before.TryGetValue(step.Id, out var old))
                changes.Add($"+ added {step.Id}: {step.Title} ({step.Tool}, {Runs.RiskLevels.ToWire(step.Risk)}){Reaches(step)}");
            else if (old.Tool != step.Tool || Policy.CallKey.Of(old) != Policy.CallKey.Of(step) || old.Risk != step.Risk)
                changes.Add($"~ changed {step.Id}: {Describe(old)} → {Describe(step)}{Reaches(step)}");
        }
        foreach (var step in previous.Steps.Where(s => !after.ContainsKey(s.Id) && !done.Contains(s.Id)))
            changes.Add($"− removed {step.Id}: {step.Title} ({step.Tool})");
        if (previous.RiskLevel != revised.RiskLevel)
            changes.Add($"risk {Runs.RiskLevels.ToWire(previous.RiskLevel)} → {Runs.RiskLevels.ToWire(revised.RiskLevel)}");
        return changes;
    }

    /// <summary>" → https://host" for a step whose targets are known: what a change reaches is what people must see.</summary>
    private static string Reaches(PlanStep step) => step.Targets is { Count: > 0 } targets ? " → " + string.Join(", ", targets) : "";

    private static string Describe(PlanStep step) => $"{step.Tool} {TextExcerpt.Arguments(step.Args, 80)} ({Runs.RiskLevels.ToWire(step.Risk)})";
}
