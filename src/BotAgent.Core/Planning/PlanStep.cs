using System.Text.Json;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Planning;

/// <param name="Args">A JSON object with the tool's arguments.</param>
/// <param name="Risk">As proposed, the planner's claim; once policy has checked the plan, the step's effective risk.</param>
/// <param name="Targets">What the call reaches (filled in by policy from the tool; a planner's value is ignored).</param>
/// <param name="Expect">What the result should show for the plan to be on track (optional).</param>
public sealed record PlanStep(
    string Id,
    string Title,
    string Tool,
    JsonElement Args,
    RiskLevel Risk,
    IReadOnlyList<string>? DependsOn = null,
    IReadOnlyList<string>? Targets = null,
    Expectation? Expect = null);
