namespace BotAgent.Core.Traces;

/// <summary>A stored trace event, as read back for explanations and viewers.</summary>
public sealed record TraceEvent(long Id, string RunId, string Lane, string Type, DateTimeOffset At, string? StepId, int? Attempt, string? DataJson);
