using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Policy;

/// <summary>
/// The envelope people are asked to approve with a plan: by default the plan's own tools and targets, its risk
/// and <c>Planner:MaxExtraSteps</c> extra steps. A planner may propose more; this clamps it to what the requester
/// may use and what <c>Policy</c> allows (no write or high risk unless <c>Policy:EnvelopeMaxRisk</c> says so).
/// </summary>
public sealed class EnvelopePolicy(ToolCatalogue tools, Permissions permissions, IOptions<PolicyOptions> policy, IOptions<PlannerOptions> planner)
{
    /// <param name="stepRisks">Each step's effective risk.</param>
    /// <param name="stepTargets">What each step reaches.</param>
    public Envelope For(Plan plan, IReadOnlyDictionary<string, RiskLevel> stepRisks, IReadOnlyDictionary<string, IReadOnlyList<string>> stepTargets, Member requester)
    {
        var options = policy.Value;
        var proposed = plan.Envelope;
        var ownRisk = stepRisks.Values.DefaultIfEmpty(RiskLevel.ReadOnly).Max();
        var ceiling = new[] { RiskLevels.Parse(options.EnvelopeMaxRisk), permissions.RequestCeiling(requester) }.Min();
        var maxRisk = RiskLevels.Min(proposed?.MaxRisk ?? ownRisk, ceiling);

        // A tool whose every call is riskier than the envelope allows could never be used by an extra step:
        // listing it would only make the card promise something it cannot do.
        var envelopeTools = new List<ToolDescriptor>();
        foreach (var name in plan.Steps.Select(s => s.Tool).Concat((proposed?.Tools ?? []).Take(options.MaxEnvelopeEntries)))
        {
            if (tools.TryGet(name, out var tool) && tool.Descriptor.Risk <= maxRisk
                && permissions.WhyNotTool(requester, tool.Descriptor.Name) is null
                && !envelopeTools.Any(t => string.Equals(t.Name, tool.Descriptor.Name, StringComparison.OrdinalIgnoreCase)))
                envelopeTools.Add(tool.Descriptor);
        }

        // Only what the envelope's tools reach: a target of a tool left out (a write) is no target of any extra step.
        var targets = plan.Steps
            .Where(s => envelopeTools.Any(t => string.Equals(t.Name, s.Tool, StringComparison.OrdinalIgnoreCase)))
            .SelectMany(s => stepTargets.GetValueOrDefault(s.Id) ?? []).ToList();
        foreach (var target in (proposed?.Targets ?? []).Take(options.MaxEnvelopeEntries))
        {
            if (Normalise(target, envelopeTools) is { } known)
                targets.Add(known);
        }

        var extra = Math.Clamp(proposed is { MaxExtraSteps: >= 0 } ? proposed.MaxExtraSteps : planner.Value.MaxExtraSteps, 0, options.MaxExtraSteps);
        return new Envelope(
            [.. envelopeTools.Select(t => t.Name)],
            [.. targets.Distinct(StringComparer.Ordinal)],
            maxRisk,
            envelopeTools.Count == 0 ? 0 : extra);
    }

    /// <summary>
    /// A proposed target as one of the envelope's tools would spell it: one of a tool's configured targets, or the
    /// origin of an http(s) URL for tools whose arguments decide where they go. Anything else names nothing.
    /// </summary>
    private static string? Normalise(string proposed, IReadOnlyList<ToolDescriptor> envelopeTools)
    {
        var text = proposed.Trim();
        foreach (var tool in envelopeTools)
        {
            if (tool.Targets is { } fixedTargets)
            {
                if (fixedTargets.Contains(text, StringComparer.Ordinal))
                    return text;
            }
            else if (ToolTargets.OriginOf(text) is { } origin)
            {
                return origin;
            }
        }
        return null;
    }
}
