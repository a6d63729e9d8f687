using System.Text.Json;
using BotAgent.Core.Planning;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Policy;

/// <summary>
/// Whether a plan is well formed: steps within the limit, unique ids, dependencies on earlier steps,
/// known and enabled tools, arguments that match each tool's schema. These are the planner's mistakes
/// (a model is asked to repair them); what a tool refuses and who may approve are policy's concern.
/// </summary>
public sealed class PlanValidator(ToolCatalogue tools, ArgumentSchemaValidator schemas, IOptions<PolicyOptions> options)
{
    public int MaxSteps => options.Value.MaxSteps;

    public IReadOnlyList<string> Validate(Plan plan)
    {
        var problems = new List<string>();
        if (plan.Steps.Count == 0)
            problems.Add("The plan has no steps.");
        if (plan.Steps.Count > options.Value.MaxSteps)
            problems.Add($"The plan has {plan.Steps.Count} steps; at most {options.Value.MaxSteps} are allowed.");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var label = $"Step {i + 1} ({step.Id})";
            foreach (var dependency in step.DependsOn ?? [])
            {
                if (!seen.Contains(dependency))
                    problems.Add($"{label}: depends on '{dependency}', which is not an earlier step.");
            }
            if (!seen.Add(step.Id))
                problems.Add($"{label}: the step id is used twice.");

            if (!tools.TryGet(step.Tool, out var tool))
            {
                problems.Add($"{label}: there is no tool '{step.Tool}' (or it is not enabled).");
                continue;
            }
            foreach (var problem in schemas.Validate(tool.Descriptor.Name, tool.Descriptor.ArgumentSchema, step.Args))
                problems.Add($"{label}: {step.Tool} arguments: {problem}");
        }
        return problems;
    }

    /// <summary>True for a step whose arguments are an object the tool may be asked about.</summary>
    public static bool HasObjectArgs(PlanStep step) => step.Args.ValueKind == JsonValueKind.Object;
}
