namespace BotAgent.Core.Traces.Statistics;

/// <summary>One UTC day of the dashboard; a day without runs is all zeros, not missing.</summary>
/// <param name="None">Runs without a goal verdict.</param>
public sealed record DashboardDay(
    DateOnly Day, int Met, int NotMet, int Inconclusive, int None, WaitSummary Waits, int ModelCalls, long InputTokens, long OutputTokens)
{
    public int Runs => Met + NotMet + Inconclusive + None;

    public long Tokens => InputTokens + OutputTokens;
}
