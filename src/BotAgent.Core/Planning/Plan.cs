using BotAgent.Core.Runs;

namespace BotAgent.Core.Planning;

/// <summary>What the planner proposes. Nothing in it is trusted until policy has checked it.</summary>
public sealed record Plan(
    string Goal,
    IReadOnlyList<PlanStep> Steps,
    RiskLevel RiskLevel,
    string SuccessCriteria);
