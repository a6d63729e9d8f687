using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Policy;

/// <summary>
/// Whether steps stay inside what people approved: the approved plan's own calls (the same tool with the same
/// arguments, no riskier and reaching nothing more than when it was approved, and a write only if it has not run
/// yet), or new calls that fit the approved plan's <see cref="Envelope"/> (its tools, targets and highest risk)
/// within its number of extra steps. Pure: it reads only the stored plans, so the card, the re-planner and the
/// executor judge alike.
/// </summary>
public static class EnvelopeCheck
{
    /// <summary>The envelope of a plan stored before plans carried one: its own calls and nothing more.</summary>
    public static Envelope Of(Plan approved) => approved.Envelope ?? new Envelope(
        [.. approved.Steps.Select(s => s.Tool).Distinct(StringComparer.OrdinalIgnoreCase)],
        [.. approved.Steps.SelectMany(s => s.Targets ?? []).Distinct(StringComparer.Ordinal)],
        approved.RiskLevel,
        0);

    /// <summary>Why <paramref name="revised"/> needs people to approve it again; empty when it may go on.</summary>
    /// <param name="attempted">Call keys (<see cref="CallKey"/>) of every step attempted in this run so far, in any plan version.</param>
    /// <param name="sinceApproval">Call keys attempted under the approved version and later ones: what counts against its extra steps.</param>
    public static IReadOnlyList<string> Revision(Plan approved, Plan revised, IReadOnlyCollection<string> attempted, IReadOnlyCollection<string> sinceApproval)
    {
        var problems = new List<string>();
        foreach (var step in revised.Steps)
            problems.AddRange(Step(approved, step, attempted));
        var extras = Extras(approved, revised, sinceApproval);
        var allowed = Of(approved).MaxExtraSteps;
        if (extras > allowed)
            problems.Add($"it adds {extras} step(s) beyond the approved plan; the approved envelope allows {allowed}");
        return problems;
    }

    /// <summary>Why this one step (with its current risk and targets) is outside what was approved; empty when it fits.</summary>
    /// <param name="attempted">Call keys attempted in this run so far, not counting earlier attempts of this same step.</param>
    public static IReadOnlyList<string> Step(Plan approved, PlanStep step, IReadOnlyCollection<string> attempted)
    {
        var key = CallKey.Of(step);
        var same = approved.Steps.FirstOrDefault(s => CallKey.Of(s) == key);
        if (same is not null && IsApprovedCall(same, step, attempted.Contains(key)))
            return [];

        var envelope = Of(approved);
        var label = $"{step.Id} ({step.Tool})";
        var problems = new List<string>();
        if (!envelope.Tools.Contains(step.Tool, StringComparer.OrdinalIgnoreCase))
            problems.Add($"{label} uses {step.Tool}, which the approved envelope does not include");
        foreach (var target in (step.Targets ?? []).Where(t => !envelope.Targets.Contains(t, StringComparer.Ordinal)))
            problems.Add($"{label} reaches {target}, which the approved envelope does not include");
        if (step.Risk > envelope.MaxRisk)
        {
            problems.Add(step.Risk >= RiskLevel.Write && same is not null && attempted.Contains(key)
                ? $"{label} repeats a {step.Risk.ToWire()} step that already ran; repeating it is a new {step.Risk.ToWire()}"
                : $"{label} is {step.Risk.ToWire()}; the approved envelope allows at most {envelope.MaxRisk.ToWire()} steps");
        }
        return problems;
    }

    /// <summary>How many distinct calls outside the approved plan the run will have made since its approval with <paramref name="revised"/>.</summary>
    /// <param name="sinceApproval">Call keys attempted under the approved version and later ones.</param>
    public static int Extras(Plan approved, Plan revised, IReadOnlyCollection<string> sinceApproval)
    {
        var own = approved.Steps.Select(CallKey.Of).ToHashSet(StringComparer.Ordinal);
        var extras = sinceApproval.Where(k => !own.Contains(k)).ToHashSet(StringComparer.Ordinal);
        foreach (var step in revised.Steps)
        {
            var key = CallKey.Of(step);
            var same = approved.Steps.FirstOrDefault(s => CallKey.Of(s) == key);
            if (same is null || !IsApprovedCall(same, step, sinceApproval.Contains(key)))
                extras.Add(key);
        }
        return extras.Count;
    }

    /// <summary>
    /// How a revision's envelope goes beyond the approved one (new tools or targets, more risk, more extra steps): a
    /// wider envelope is a change people approve, so a card that asks for approval lists it.
    /// </summary>
    public static IReadOnlyList<string> Widening(Plan approved, Envelope? revised)
    {
        if (revised is null)
            return [];
        var before = Of(approved);
        var lines = new List<string>();
        var tools = revised.Tools.Where(t => !before.Tools.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
        if (tools.Count > 0)
            lines.Add("the envelope adds the tool(s) " + string.Join(", ", tools));
        var targets = revised.Targets.Where(t => !before.Targets.Contains(t, StringComparer.Ordinal)).ToList();
        if (targets.Count > 0)
            lines.Add("the envelope adds the target(s) " + string.Join(", ", targets));
        if (revised.MaxRisk > before.MaxRisk)
            lines.Add($"the envelope allows {revised.MaxRisk.ToWire()} steps (before: {before.MaxRisk.ToWire()})");
        if (revised.MaxExtraSteps > before.MaxExtraSteps)
            lines.Add($"the envelope allows {revised.MaxExtraSteps} extra steps (before: {before.MaxExtraSteps})");
        return lines;
    }

    /// <remarks>A write that already ran (in any way) is never "already approved": repeating it is new.</remarks>
    private static bool IsApprovedCall(PlanStep approved, PlanStep step, bool ranBefore) =>
        step.Risk <= approved.Risk
        && (approved.Targets is null || (step.Targets ?? []).All(t => approved.Targets.Contains(t, StringComparer.Ordinal)))
        && !(ranBefore && step.Risk >= RiskLevel.Write);
}
