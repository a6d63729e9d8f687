namespace BotAgent.Core.Execution;

/// <summary>The end of a step after all its attempts.</summary>
public sealed record StepResult(
    int Index,
    string StepId,
    string Title,
    string Tool,
    StepState State,
    string Summary,
    string? Output,
    string? Error,
    int Attempts,
    TimeSpan Duration,
    IReadOnlyList<KeyValuePair<string, string>>? Facts = null,
    long AttemptId = 0)
{
    public bool Succeeded => State == StepState.Succeeded;
}
