using System.Text.Json.Nodes;
using BotAgent.Core.Traces;

namespace BotAgent.Core.Tests.Fakes;

internal sealed record RecordedTrace(string Lane, string RunId, string Type, string? StepId, JsonObject? Data);

/// <summary>Keeps every trace event in memory, in order.</summary>
internal sealed class RecordingTraceSink : ITraceSink
{
    private readonly List<RecordedTrace> _events = [];

    public IReadOnlyList<RecordedTrace> Events
    {
        get
        {
            lock (_events)
                return [.. _events];
        }
    }

    public Task PlanningAsync(string runId, string type, JsonObject? data, CancellationToken cancellationToken)
    {
        lock (_events)
            _events.Add(new RecordedTrace("planning", runId, type, null, data));
        return Task.CompletedTask;
    }

    public Task ExecutionAsync(string runId, string type, string? stepId, int? attempt, JsonObject? data, CancellationToken cancellationToken)
    {
        lock (_events)
            _events.Add(new RecordedTrace("execution", runId, type, stepId, data));
        return Task.CompletedTask;
    }
}
