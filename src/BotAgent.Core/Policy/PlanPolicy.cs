using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Policy;

/// <summary>
/// The planner proposes; policy decides whether the plan may be offered for approval at all: it is well
/// formed (<see cref="PlanValidator"/>), each tool accepts its arguments, and who must approve follows
/// from the plan's effective risk and the envelope people would approve with it.
/// </summary>
public sealed class PlanPolicy(ToolCatalogue tools, PlanValidator validator, ApprovalRules approvalRules, Permissions permissions, EnvelopePolicy envelopes)
{
    public PolicyVerdict Evaluate(Plan plan, Member requester)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var violations = new List<string>(validator.Validate(plan));
        var stepRisks = new Dictionary<string, RiskLevel>(StringComparer.Ordinal);
        var stepTargets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var risk = plan.RiskLevel;

        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var stepRisk = step.Risk;
            IReadOnlyList<string> targets = [];
            if (tools.TryGet(step.Tool, out var tool))
            {
                if (permissions.WhyNotTool(requester, tool.Descriptor.Name) is { } notAllowed)
                    violations.Add($"Step {i + 1} ({step.Id}): {notAllowed}.");
                // Never lower than the tool declares, or than this call of it (a POST is a write).
                var effective = EffectiveStep.Of(step, tool);
                stepRisk = effective.Risk;
                targets = effective.Targets ?? [];
                if (PlanValidator.HasObjectArgs(step))
                {
                    foreach (var refusal in tool.CheckArguments(step.Args))
                        violations.Add($"Step {i + 1} ({step.Id}): {refusal}");
                }
            }
            stepRisks.TryAdd(step.Id, stepRisk);
            stepTargets.TryAdd(step.Id, targets);
            risk = RiskLevels.Max(risk, stepRisk);
        }

        if (permissions.WhyNotRequest(requester, risk) is { } tooRisky)
            violations.Add(char.ToUpperInvariant(tooRisky[0]) + tooRisky[1..] + ".");
        var envelope = envelopes.For(plan, stepRisks, stepTargets, requester);
        // Approving the envelope approves what re-planning may do under it: a write envelope needs write approvers.
        var approval = violations.Count == 0 ? approvalRules.For(RiskLevels.Max(risk, envelope.MaxRisk)) : null;
        return new PolicyVerdict(violations, risk, stepRisks, approval, stepTargets, envelope);
    }
}
