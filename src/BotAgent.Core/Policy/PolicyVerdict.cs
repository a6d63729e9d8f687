using BotAgent.Core.Approvals;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Policy;

/// <summary>Policy's answer to a proposed plan. Expected refusals are values, not exceptions.</summary>
/// <param name="Violations">Why the plan may not run, one line each, naming the step.</param>
/// <param name="RiskLevel">The plan's effective risk: its highest step's, never lower than a tool declares.</param>
/// <param name="StepRisks">Each step's effective risk, by step id.</param>
public sealed record PolicyVerdict(
    IReadOnlyList<string> Violations,
    RiskLevel RiskLevel,
    IReadOnlyDictionary<string, RiskLevel> StepRisks,
    ApprovalRequirement? Approval)
{
    public bool IsAllowed => Violations.Count == 0;
}
