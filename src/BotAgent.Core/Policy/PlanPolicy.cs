using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Policy;

/// <summary>
/// The planner proposes; policy decides whether the plan may be offered for approval at all:
/// every tool exists and is enabled, arguments validate, limits hold, and who must approve.
/// </summary>
public sealed class PlanPolicy(
    ToolCatalogue tools,
    ArgumentSchemaValidator validator,
    ApprovalRules approvalRules,
    IOptions<PolicyOptions> options)
{
    public PolicyVerdict Evaluate(Plan plan, Member requester)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var violations = new List<string>();
        var stepRisks = new Dictionary<string, RiskLevel>(StringComparer.Ordinal);
        var risk = plan.RiskLevel;

        if (plan.Steps.Count == 0)
            violations.Add("The plan has no steps.");
        if (plan.Steps.Count > options.Value.MaxSteps)
            violations.Add($"The plan has {plan.Steps.Count} steps; at most {options.Value.MaxSteps} are allowed.");

        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var label = $"Step {i + 1} ({step.Id})";
            if (stepRisks.ContainsKey(step.Id))
            {
                violations.Add($"{label}: the step id is used twice.");
                continue;
            }

            foreach (var dependency in step.DependsOn ?? [])
            {
                if (!stepRisks.ContainsKey(dependency))
                    violations.Add($"{label}: depends on '{dependency}', which is not an earlier step.");
            }

            var stepRisk = step.Risk;
            if (!tools.TryGet(step.Tool, out var tool))
            {
                violations.Add($"{label}: there is no tool '{step.Tool}' (or it is not enabled).");
            }
            else
            {
                stepRisk = RiskLevels.Max(stepRisk, tool.Descriptor.Risk);
                if (step.Args.ValueKind == System.Text.Json.JsonValueKind.Object)
                    stepRisk = RiskLevels.Max(stepRisk, tool.Assess(step.Args).Risk);
                foreach (var problem in validator.Validate(tool.Descriptor.Name, tool.Descriptor.ArgumentSchema, step.Args))
                    violations.Add($"{label}: {step.Tool} arguments: {problem}");
                if (step.Args.ValueKind == System.Text.Json.JsonValueKind.Object)
                {
                    foreach (var refusal in tool.CheckArguments(step.Args))
                        violations.Add($"{label}: {refusal}");
                }
            }

            stepRisks[step.Id] = stepRisk;
            risk = RiskLevels.Max(risk, stepRisk);
        }

        var approval = violations.Count == 0 ? approvalRules.For(risk) : null;
        return new PolicyVerdict(violations, risk, stepRisks, approval);
    }
}
