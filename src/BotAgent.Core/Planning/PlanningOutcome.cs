namespace BotAgent.Core.Planning;

/// <summary>Either a proposed plan, or why no plan could be made and what the planner can do instead.</summary>
/// <param name="Suggestions">What the planner can do instead (the offline planner's menu).</param>
/// <param name="Problems">What was wrong with what the planner produced (a model's invalid output), if anything.</param>
public sealed record PlanningOutcome(Plan? Plan, string? Reason, IReadOnlyList<string> Suggestions, string Planner, IReadOnlyList<string>? Problems = null)
{
    public static PlanningOutcome Planned(Plan plan, string planner) => new(plan, null, [], planner);

    public static PlanningOutcome NotPlanned(string reason, IReadOnlyList<string> suggestions, string planner) =>
        new(null, reason, suggestions, planner);

    public static PlanningOutcome Invalid(string reason, IReadOnlyList<string> problems, string planner) =>
        new(null, reason, [], planner, problems);
}
