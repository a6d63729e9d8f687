namespace BotAgent.Core.Planning;

/// <summary>Either a proposed plan, or why no plan could be made and what the planner can do instead.</summary>
public sealed record PlanningOutcome(Plan? Plan, string? Reason, IReadOnlyList<string> Suggestions, string Planner)
{
    public static PlanningOutcome Planned(Plan plan, string planner) => new(plan, null, [], planner);

    public static PlanningOutcome NotPlanned(string reason, IReadOnlyList<string> suggestions, string planner) =>
        new(null, reason, suggestions, planner);
}
