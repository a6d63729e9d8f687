namespace BotAgent.Core.Reporting;

/// <summary>
/// Asks a person what happened to a write that was in flight when its instance stopped: mark it done,
/// retry it, or stop the run. Never answered by the bot itself.
/// </summary>
/// <param name="SentAgain">This copy was sent because an earlier one may not have arrived (Reporter.MustArrive).</param>
public sealed record DecisionCardView(
    string RunId,
    string PlanHash,
    long AttemptId,
    int StepNumber,
    string StepId,
    string Title,
    string Tool,
    string ArgsSummary,
    string ApproversText,
    bool AcceptsDecisions,
    string? ResolvedText,
    bool SentAgain = false) : OutboundView
{
    public override string FallbackText => $"Step {StepNumber} ({StepId}) outcome unknown: decide whether it happened.";
}
