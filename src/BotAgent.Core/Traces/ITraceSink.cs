using System.Text.Json.Nodes;

namespace BotAgent.Core.Traces;

/// <summary>
/// Where every stage writes what it did. Planning and execution events are kept apart, so a failure can
/// be told apart: was the plan wrong, or did execution fail? Data never carries secrets.
/// </summary>
public interface ITraceSink
{
    Task PlanningAsync(string runId, string type, JsonObject? data, CancellationToken cancellationToken);

    Task ExecutionAsync(string runId, string type, string? stepId, int? attempt, JsonObject? data, CancellationToken cancellationToken);
}
