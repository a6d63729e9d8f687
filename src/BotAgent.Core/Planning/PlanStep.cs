using System.Text.Json;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Planning;

/// <param name="Args">A JSON object with the tool's arguments.</param>
public sealed record PlanStep(
    string Id,
    string Title,
    string Tool,
    JsonElement Args,
    RiskLevel Risk,
    IReadOnlyList<string>? DependsOn = null);
