using BotAgent.Core.Runs;

namespace BotAgent.Core.Planning;

/// <summary>What the planner proposes. Nothing in it is trusted until policy has checked it.</summary>
/// <param name="Envelope">
/// What a revision may do without asking again. A planner may propose one; policy always sets the one people
/// approve (the plan's own tools, targets and risk, widened only as far as configuration allows).
/// </param>
public sealed record Plan(
    string Goal,
    IReadOnlyList<PlanStep> Steps,
    RiskLevel RiskLevel,
    string SuccessCriteria,
    Envelope? Envelope = null);
