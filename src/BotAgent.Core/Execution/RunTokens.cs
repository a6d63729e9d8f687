namespace BotAgent.Core.Execution;

/// <summary>
/// How a run is stopped. <see cref="Drain"/>: finish the step in flight, start no other (graceful
/// shutdown). <see cref="Abort"/>: cancel the step in flight too (shutdown timeout, or the lease was lost).
/// </summary>
public readonly record struct RunTokens(CancellationToken Drain, CancellationToken Abort);
