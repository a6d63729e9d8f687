using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Policy;

/// <summary>Policy's answer to a proposed plan. Expected refusals are values, not exceptions.</summary>
/// <param name="Violations">Why the plan may not run, one line each, naming the step.</param>
/// <param name="RiskLevel">The plan's effective risk: its highest step's, never lower than a tool declares.</param>
/// <param name="StepRisks">Each step's effective risk, by step id.</param>
/// <param name="StepTargets">What each step reaches, by step id.</param>
/// <param name="Envelope">What a revision may do without asking again, clamped by policy.</param>
/// <param name="Approval">Who must approve: for the plan's risk, or the envelope's where that is higher.</param>
public sealed record PolicyVerdict(
    IReadOnlyList<string> Violations,
    RiskLevel RiskLevel,
    IReadOnlyDictionary<string, RiskLevel> StepRisks,
    ApprovalRequirement? Approval,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? StepTargets = null,
    Envelope? Envelope = null)
{
    public bool IsAllowed => Violations.Count == 0;

    /// <summary>
    /// The plan as people are asked to approve it: each step at its effective risk with its targets, the plan's
    /// effective risk and the clamped envelope. This is what is stored and hashed, so the card shows what policy
    /// computed, never the risk a planner claimed.
    /// </summary>
    public Plan Apply(Plan plan) => plan with
    {
        Steps = [.. plan.Steps.Select(s => s with
        {
            Risk = StepRisks.GetValueOrDefault(s.Id, s.Risk),
            Targets = StepTargets?.GetValueOrDefault(s.Id) ?? [],
        })],
        RiskLevel = RiskLevel,
        Envelope = Envelope,
    };
}
