using BotAgent.Core.Execution;

namespace BotAgent.Core.Reporting;

/// <summary>One step's result, posted as a reply in the thread.</summary>
/// <param name="OutputExcerpt">Already truncated for the thread; the store keeps the whole output.</param>
public sealed record StepResultView(
    string RunId,
    int Number,
    string StepId,
    string Title,
    string Tool,
    StepState State,
    string Summary,
    string? OutputExcerpt,
    string? Error,
    int Attempts,
    long DurationMs,
    IReadOnlyList<KeyValuePair<string, string>> Facts) : OutboundView
{
    public override string FallbackText => $"Step {Number} ({StepId}) {State.ToWire()}: {Summary}";
}
