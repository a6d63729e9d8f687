using BotAgent.Core.Runs;

namespace BotAgent.Core.Reporting;

/// <summary>The run's final summary: succeeded or not, with the evidence.</summary>
public sealed record RunSummaryView(
    string RunId,
    string Goal,
    RunStatus Status,
    string Text,
    IReadOnlyList<string> Evidence) : OutboundView
{
    public override string FallbackText => $"Run {Status.ToWire()}: {Text}";
}
