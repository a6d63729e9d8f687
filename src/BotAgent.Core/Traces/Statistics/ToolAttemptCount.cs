namespace BotAgent.Core.Traces.Statistics;

/// <param name="Attempts">Finished attempts (any end but running).</param>
/// <param name="Failed">Attempts that failed or timed out.</param>
public sealed record ToolAttemptCount(string Tool, int Attempts, int Failed);
