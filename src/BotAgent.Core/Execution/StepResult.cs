namespace BotAgent.Core.Execution;

/// <summary>The end of a step after all its attempts.</summary>
/// <param name="Measures">What the tool reported that an expectation can be checked against.</param>
/// <param name="Expectation">The step's expectation checked against the result (succeeded steps only).</param>
/// <param name="OutsideEnvelope">Set when the step was not run because it is outside what people approved: why.</param>
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
    long AttemptId = 0,
    Tools.ToolMeasures? Measures = null,
    string? OutsideEnvelope = null,
    Observation.ExpectationResult? Expectation = null)
{
    public bool Succeeded => State == StepState.Succeeded;
}
