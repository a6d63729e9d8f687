namespace BotAgent.Core.Traces;

/// <summary>Reads a run's trace events back, both lanes, in time order.</summary>
public interface ITraceReader
{
    Task<IReadOnlyList<TraceEvent>> ListAsync(string runId, CancellationToken cancellationToken);
}
