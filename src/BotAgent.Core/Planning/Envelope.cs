using BotAgent.Core.Runs;

namespace BotAgent.Core.Planning;

/// <summary>
/// What a revision of a run may do without asking people again. It is part of the plan document, so the plan
/// hash covers it and the card states it; the executor holds every step of a later revision to the envelope of
/// the version people approved, whatever a revision's own envelope says.
/// </summary>
/// <param name="Tools">Tool names a revision may use.</param>
/// <param name="Targets">What those calls may reach, in the form <c>ITool.Targets</c> gives (an http origin, <c>sql:reports</c>, <c>mcp:github</c>).</param>
/// <param name="MaxRisk">The highest effective risk of a step a revision may add.</param>
/// <param name="MaxExtraSteps">How many steps that are not in the approved plan all revisions together may add.</param>
public sealed record Envelope(
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Targets,
    RiskLevel MaxRisk,
    int MaxExtraSteps)
{
    /// <summary>A proposed envelope's <see cref="MaxExtraSteps"/> when the planner named none: policy's default applies.</summary>
    public const int NotProposed = -1;
}
