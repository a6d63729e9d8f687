using BotAgent.Core.Runs;

namespace BotAgent.Core.Traces.Statistics;

/// <summary>
/// The runs dashboard's numbers for <see cref="Days"/> consecutive UTC days: every day present (zeros where nothing
/// happened), decision waits as percentiles per day and over the period, tools by failure rate.
/// </summary>
/// <param name="DecisionsCapped">More plan versions were decided than <see cref="RunStatistics.MaxDecisions"/>: waits are of the newest.</param>
public sealed record RunDashboard(IReadOnlyList<DashboardDay> Days, WaitSummary Waits, IReadOnlyList<ToolFailureRate> Tools, bool DecisionsCapped)
{
    public DateOnly First => Days[0].Day;

    public DateOnly Last => Days[^1].Day;

    public int Runs => Days.Sum(d => d.Runs);

    public int Met => Days.Sum(d => d.Met);

    public int NotMet => Days.Sum(d => d.NotMet);

    public int Inconclusive => Days.Sum(d => d.Inconclusive);

    public int None => Days.Sum(d => d.None);

    public int ModelCalls => Days.Sum(d => d.ModelCalls);

    public long InputTokens => Days.Sum(d => d.InputTokens);

    public long OutputTokens => Days.Sum(d => d.OutputTokens);

    /// <summary>Nothing at all happened in the period.</summary>
    public bool IsEmpty => Runs == 0 && Waits.Decisions == 0 && Tools.Count == 0 && ModelCalls == 0;

    /// <param name="first">The period's first day.</param>
    /// <param name="days">At least 1. Counts of days outside the period are ignored.</param>
    public static RunDashboard Create(RunStatistics statistics, DateOnly first, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var last = first.AddDays(days - 1);
        bool Inside(DateOnly day) => day >= first && day <= last;
        var runs = statistics.Runs.Where(r => Inside(r.Day)).ToLookup(r => r.Day);
        var tokens = statistics.Tokens.Where(t => Inside(t.Day)).ToLookup(t => t.Day);
        var decisions = statistics.Decisions.Where(d => Inside(DateOnly.FromDateTime(d.DecidedAt.UtcDateTime))).ToList();
        var waits = decisions.ToLookup(d => DateOnly.FromDateTime(d.DecidedAt.UtcDateTime), d => d.Wait);
        var list = Enumerable.Range(0, days).Select(i =>
        {
            var day = first.AddDays(i);
            int Count(GoalStatus? verdict) => runs[day].Where(r => r.Verdict == verdict).Sum(r => r.Runs);
            var tokenDay = tokens[day].ToList();
            return new DashboardDay(
                day, Count(GoalStatus.Met), Count(GoalStatus.NotMet), Count(GoalStatus.Inconclusive), Count(null),
                WaitSummary.Of(waits[day]), tokenDay.Sum(t => t.Calls), tokenDay.Sum(t => t.InputTokens), tokenDay.Sum(t => t.OutputTokens));
        }).ToList();
        var tools = statistics.Tools
            .Select(t => new ToolFailureRate(t.Tool, t.Attempts, t.Failed))
            .OrderByDescending(t => t.Rate).ThenByDescending(t => t.Attempts).ThenBy(t => t.Tool, StringComparer.Ordinal)
            .ToList();
        return new RunDashboard(list, WaitSummary.Of(decisions.Select(d => d.Wait)), tools, statistics.Decisions.Count >= RunStatistics.MaxDecisions);
    }
}
