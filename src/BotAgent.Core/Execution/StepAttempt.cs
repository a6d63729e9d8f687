namespace BotAgent.Core.Execution;

/// <summary>One call of a tool for one step: written as running before the call, finished after it.</summary>
public sealed record StepAttempt(
    long Id,
    string RunId,
    int PlanVersion,
    string StepId,
    int StepIndex,
    int Attempt,
    string Tool,
    string ArgsJson,
    string IdempotencyKey,
    StepState State,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt = null,
    string? Summary = null,
    string? Output = null,
    string? Error = null,
    Tools.ToolMeasures? Measures = null);
