using BotAgent.Core.Runs;
using BotAgent.Core.Traces.Statistics;

namespace BotAgent.Core.Tests.TraceStatistics;

public sealed class RunDashboardTests
{
    private static readonly DateOnly First = new(2026, 11, 26);

    private static DateTimeOffset At(int day, int hour, int minute = 0, int second = 0) =>
        new DateTimeOffset(First.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(day).AddHours(hour).AddMinutes(minute).AddSeconds(second);

    [Fact]
    public void Nearest_rank_percentiles_are_values_that_were_seen()
    {
        var waits = Enumerable.Range(1, 20).Select(i => TimeSpan.FromSeconds(i)).ToList();

        Assert.Equal(TimeSpan.FromSeconds(10), Percentile.Of(waits, 50));
        Assert.Equal(TimeSpan.FromSeconds(19), Percentile.Of(waits, 95));
        Assert.Equal(TimeSpan.FromSeconds(20), Percentile.Of(waits, 100));
        Assert.Equal(TimeSpan.FromSeconds(1), Percentile.Of(waits, 1));
        Assert.Equal(TimeSpan.FromSeconds(7), Percentile.Of([TimeSpan.FromSeconds(7)], 95));
        Assert.Null(Percentile.Of([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of(waits, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of(waits, 101));
    }

    [Fact]
    public void Every_day_of_the_period_is_present_and_a_day_without_runs_is_zeros()
    {
        var statistics = new RunStatistics(
            [new DailyRunCount(First, GoalStatus.Met, 2), new DailyRunCount(First, null, 1), new DailyRunCount(First.AddDays(2), GoalStatus.NotMet, 3),
             new DailyRunCount(First.AddDays(2), GoalStatus.Inconclusive, 1)],
            [], [], [new DailyTokenCount(First.AddDays(2), 2, 100, 25)]);

        var dashboard = RunDashboard.Create(statistics, First, 3);

        Assert.Equal([First, First.AddDays(1), First.AddDays(2)], dashboard.Days.Select(d => d.Day));
        Assert.Equal((2, 0, 0, 1), (dashboard.Days[0].Met, dashboard.Days[0].NotMet, dashboard.Days[0].Inconclusive, dashboard.Days[0].None));
        var quiet = dashboard.Days[1];
        Assert.Equal((0, 0, 0L, 0), (quiet.Runs, quiet.ModelCalls, quiet.Tokens, quiet.Waits.Decisions));
        Assert.Null(quiet.Waits.P50);
        Assert.Equal((0, 3, 1, 0), (dashboard.Days[2].Met, dashboard.Days[2].NotMet, dashboard.Days[2].Inconclusive, dashboard.Days[2].None));
        Assert.Equal(125, dashboard.Days[2].Tokens);
        Assert.Equal((7, 2, 3, 1, 1), (dashboard.Runs, dashboard.Met, dashboard.NotMet, dashboard.Inconclusive, dashboard.None));
        Assert.False(dashboard.IsEmpty);
    }

    [Fact]
    public void A_period_with_nothing_in_it_is_empty_with_no_percentiles()
    {
        var dashboard = RunDashboard.Create(RunStatistics.Empty, First, 7);

        Assert.Equal(7, dashboard.Days.Count);
        Assert.True(dashboard.IsEmpty);
        Assert.Equal(new WaitSummary(0, null, null), dashboard.Waits);
        Assert.All(dashboard.Days, d => Assert.Equal(0, d.Runs));
        Assert.Empty(dashboard.Tools);
        Assert.Equal(First.AddDays(6), dashboard.Last);
    }

    [Fact]
    public void Waits_are_percentiles_per_decision_day_and_over_the_period()
    {
        // Day 0: 1, 2, 3 and 60 minutes; day 2: 30 s; one before the period that is not counted.
        DecisionWait Wait(DateTimeOffset decided, TimeSpan wait) => new(decided - wait, decided);
        var statistics = new RunStatistics([],
        [
            Wait(At(0, 9), TimeSpan.FromMinutes(1)), Wait(At(0, 10), TimeSpan.FromMinutes(2)), Wait(At(0, 11), TimeSpan.FromMinutes(3)),
            Wait(At(0, 23, 59, 59), TimeSpan.FromMinutes(60)), Wait(At(2, 0), TimeSpan.FromSeconds(30)), Wait(At(-1, 12), TimeSpan.FromDays(1)),
        ], [], []);

        var dashboard = RunDashboard.Create(statistics, First, 3);

        Assert.Equal(new WaitSummary(4, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(60)), dashboard.Days[0].Waits);
        Assert.Equal(new WaitSummary(0, null, null), dashboard.Days[1].Waits);
        Assert.Equal(new WaitSummary(1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), dashboard.Days[2].Waits);
        Assert.Equal(new WaitSummary(5, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(60)), dashboard.Waits);
        Assert.False(dashboard.DecisionsCapped);
    }

    [Fact]
    public void A_decision_recorded_before_its_plan_card_waited_zero()
    {
        var wait = new DecisionWait(At(0, 10), At(0, 9));

        Assert.Equal(TimeSpan.Zero, wait.Wait);
    }

    [Fact]
    public void Tools_are_ordered_by_failure_rate_then_use()
    {
        var statistics = new RunStatistics([], [], [new ToolAttemptCount("http.get", 10, 1), new ToolAttemptCount("shell.run", 2, 1), new ToolAttemptCount("files.read", 4, 2),
            new ToolAttemptCount("sql.query", 5, 0)], []);

        var tools = RunDashboard.Create(statistics, First, 1).Tools;

        Assert.Equal(["files.read", "shell.run", "http.get", "sql.query"], tools.Select(t => t.Tool));
        Assert.Equal(0.5, tools[0].Rate);
        Assert.Equal(0, tools[3].Rate);
        Assert.Equal(0, new ToolFailureRate("none", 0, 0).Rate);
    }
}
