using BotAgent.Core.Runs;

namespace BotAgent.Core.Reporting;

/// <summary>The run's final summary: whether the steps ran, whether the goal was met, and the evidence.</summary>
public sealed record RunSummaryView(
    string RunId,
    string Goal,
    RunStatus Status,
    string Text,
    IReadOnlyList<string> Evidence,
    GoalVerdict? GoalVerdict = null) : OutboundView
{
    public override string FallbackText => $"Run {Status.ToWire()}: {Text}";
}
