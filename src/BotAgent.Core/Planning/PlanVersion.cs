namespace BotAgent.Core.Planning;

/// <summary>One stored version of a run's plan. Approvals are bound to <see cref="Hash"/>.</summary>
public sealed record PlanVersion(int Version, string Hash, Plan Plan, string Planner, DateTimeOffset CreatedAt);
