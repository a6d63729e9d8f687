using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Policy;

/// <summary>
/// A step as its tool would run it: its risk never lower than the planner said, the tool declares or this call of it
/// carries (a POST is a write), and the targets the call reaches. Policy stores this; the executor compares it with
/// what was stored before every attempt, so a tool that changed since the approval is caught.
/// </summary>
public static class EffectiveStep
{
    public static PlanStep Of(PlanStep step, ITool tool)
    {
        var risk = RiskLevels.Max(step.Risk, tool.Descriptor.Risk);
        return PlanValidator.HasObjectArgs(step)
            ? step with { Risk = RiskLevels.Max(risk, tool.Assess(step.Args).Risk), Targets = tool.Targets(step.Args) }
            : risk == step.Risk ? step : step with { Risk = risk };
    }
}
