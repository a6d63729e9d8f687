using System.Globalization;
using BotAgent.Core.Traces.Statistics;
using BotAgent.Traces.Pages;

namespace BotAgent.Traces;

/// <summary>
/// Lays out the runs dashboard (Pages/Dashboard.cshtml draws it as SVG): runs per day stacked by goal verdict, the
/// plan cards' waits for a decision (p95 behind p50, per day), failure rate per tool, model tokens per day. Every
/// bar carries a title with its numbers, and the page repeats them as text, so nothing is told by colour alone.
/// </summary>
internal static class DashboardChart
{
    // Pages/Dashboard.cshtml draws the frames from the same numbers.
    public const double Width = 560, Height = 190, PlotLeft = 64, PlotRight = 8, PlotTop = 16, PlotBottom = 160;
    public const double ToolRowHeight = 22, ToolLabelWidth = 150, ToolBarWidth = 220;
    private const double PlotWidth = Width - PlotLeft - PlotRight;

    public static readonly int[] Periods = [7, 30, 90];

    public static DashboardModel Create(RunDashboard dashboard, int days, string basePath, string? query)
    {
        var periods = Periods.Select(p => new PeriodLink(p, $"{basePath}/runs?days={p}{query}", p == days)).ToList();
        if (dashboard.IsEmpty)
            return new DashboardModel(days, periods, null, null, null, null, null);
        return new DashboardModel(days, periods, dashboard, RunsChart(dashboard), WaitsChart(dashboard), ToolsChart(dashboard), TokensChart(dashboard));
    }

    private static ColumnChart RunsChart(RunDashboard dashboard)
    {
        var max = Nice(dashboard.Days.Max(d => d.Runs));
        var columns = dashboard.Days.Select((day, i) =>
        {
            var (x, width) = Column(i, dashboard.Days.Count);
            var segments = Stack(x, width, max, ("met", day.Met), ("not-met", day.NotMet), ("inconclusive", day.Inconclusive), ("none", day.None));
            var title = $"{Date(day.Day)}: {Plural(day.Runs, "run")} — {day.Met} met, {day.NotMet} not met, {day.Inconclusive} inconclusive, {day.None} without a verdict";
            return new DayColumn(Date(day.Day),
                [("runs", Whole(day.Runs)), ("met", Whole(day.Met)), ("not-met", Whole(day.NotMet)), ("inconclusive", Whole(day.Inconclusive)), ("none", Whole(day.None))],
                segments, title, Label(day.Runs, Whole(day.Runs), width), x + width / 2, Y(day.Runs, max) - 3);
        }).ToList();
        return new ColumnChart("chart-runs", "Runs per day by goal verdict",
            $"{Plural(dashboard.Runs, "run")}: {dashboard.Met} met, {dashboard.NotMet} not met, {dashboard.Inconclusive} inconclusive, {dashboard.None} without a verdict.",
            YLabels(max, AxisNumber), XLabels(dashboard), columns,
            [new("met", $"met {dashboard.Met}"), new("not-met", $"not met {dashboard.NotMet}"), new("inconclusive", $"inconclusive {dashboard.Inconclusive}"),
             new("none", $"no verdict {dashboard.None}")]);
    }

    private static ColumnChart WaitsChart(RunDashboard dashboard)
    {
        var max = NiceSeconds(dashboard.Days.Max(d => d.Waits.P95?.TotalSeconds ?? 0));
        var columns = dashboard.Days.Select((day, i) =>
        {
            var (x, width) = Column(i, dashboard.Days.Count);
            var waits = day.Waits;
            List<BarSegment> segments = waits.P50 is { } p50 && waits.P95 is { } p95
                ? [Bar("p95", x, width, 0, p95.TotalSeconds, max), Bar("p50", x + width * 0.2, width * 0.6, 0, p50.TotalSeconds, max)]
                : [];
            var title = waits.Decisions == 0
                ? $"{Date(day.Day)}: no decisions"
                : $"{Date(day.Day)}: {Plural(waits.Decisions, "decision")}, p50 {HtmlPage.Duration(waits.P50!.Value)}, p95 {HtmlPage.Duration(waits.P95!.Value)}";
            return new DayColumn(Date(day.Day),
                [("decisions", Whole(waits.Decisions)), ("p50-seconds", Seconds(waits.P50)), ("p95-seconds", Seconds(waits.P95))],
                segments, title, null, 0, 0);
        }).ToList();
        var summary = dashboard.Waits.Decisions == 0
            ? "No plan was decided in this period."
            : $"{Plural(dashboard.Waits.Decisions, "decision")}{(dashboard.DecisionsCapped ? " (the newest)" : "")}: p50 {HtmlPage.Duration(dashboard.Waits.P50!.Value)}, p95 {HtmlPage.Duration(dashboard.Waits.P95!.Value)}.";
        return new ColumnChart("chart-waits", "Time from plan card to decision, p50 and p95 per day", summary,
            YLabels(max, AxisDuration), XLabels(dashboard), columns,
            [new("p50", "p50 (half waited less)"), new("p95", "p95 (all but one in twenty waited less)")]);
    }

    private static ToolChart? ToolsChart(RunDashboard dashboard)
    {
        if (dashboard.Tools.Count == 0)
            return null;
        var bars = dashboard.Tools.Select((tool, i) => new ToolBar(
            tool, Core.Reporting.TextExcerpt.Truncate(tool.Tool, 24), 8 + i * ToolRowHeight, Math.Max(tool.Failed > 0 ? 2 : 0, tool.Rate * ToolBarWidth),
            $"{tool.Failed} of {Plural(tool.Attempts, "attempt")} failed", Percent(tool.Rate))).ToList();
        return new ToolChart(16 + bars.Count * ToolRowHeight, bars);
    }

    private static ColumnChart TokensChart(RunDashboard dashboard)
    {
        var max = Nice(dashboard.Days.Max(d => d.Tokens));
        var columns = dashboard.Days.Select((day, i) =>
        {
            var (x, width) = Column(i, dashboard.Days.Count);
            var title = $"{Date(day.Day)}: {Plural(day.ModelCalls, "model call")}, {Count(day.InputTokens)} input + {Count(day.OutputTokens)} output tokens";
            return new DayColumn(Date(day.Day),
                [("calls", Whole(day.ModelCalls)), ("input", Whole(day.InputTokens)), ("output", Whole(day.OutputTokens)), ("tokens", Whole(day.Tokens))],
                Stack(x, width, max, ("input", day.InputTokens), ("output", day.OutputTokens)), title,
                Label(day.Tokens, Short(day.Tokens), width), x + width / 2, Y(day.Tokens, max) - 3);
        }).ToList();
        return new ColumnChart("chart-tokens", "Model tokens per day",
            $"{Count(dashboard.InputTokens + dashboard.OutputTokens)} tokens in {Plural(dashboard.ModelCalls, "model call")} ({Count(dashboard.InputTokens)} input, {Count(dashboard.OutputTokens)} output).",
            YLabels(max, AxisNumber), XLabels(dashboard), columns,
            [new("input", $"input {Count(dashboard.InputTokens)}"), new("output", $"output {Count(dashboard.OutputTokens)}")]);
    }

    private static (double X, double Width) Column(int index, int count)
    {
        var slot = PlotWidth / count;
        var width = Math.Max(1, slot * 0.72);
        return (PlotLeft + index * slot + (slot - width) / 2, width);
    }

    private static List<BarSegment> Stack(double x, double width, double max, params (string Kind, long Value)[] parts)
    {
        var segments = new List<BarSegment>();
        double bottom = 0;
        foreach (var (kind, value) in parts.Where(p => p.Value > 0))
        {
            segments.Add(Bar(kind, x, width, bottom, bottom + value, max));
            bottom += value;
        }
        return segments;
    }

    private static BarSegment Bar(string kind, double x, double width, double from, double to, double max) =>
        new(kind, x, Y(to, max), width, Math.Max(Y(from, max) - Y(to, max), 0.5));

    private static double Y(double value, double max) => PlotBottom - value / max * (PlotBottom - PlotTop);

    /// <summary>The axis's top: 1, 2 or 5 times a power of ten, at least the largest value (and at least 1).</summary>
    public static double Nice(double max)
    {
        if (max <= 1)
            return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 5, 10 })
        {
            if (step * power >= max)
                return step * power;
        }
        return 10 * power;
    }

    /// <summary>A duration axis's top: a step a person reads at a glance (30 s, 2 min, 1 h, 2 d), at least the largest wait.</summary>
    public static double NiceSeconds(double max)
    {
        double[] steps = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400];
        foreach (var step in steps)
        {
            if (step >= max)
                return step;
        }
        return Math.Ceiling(max / (7 * 86400)) * 7 * 86400;
    }

    /// <summary>Axis words, shorter than <see cref="HtmlPage.Duration"/>: 0, 15 s, 2.5 min, 1 h, 3.5 d.</summary>
    public static string AxisDuration(double seconds) => seconds switch
    {
        0 => "0",
        < 60 => $"{AxisNumber(seconds)} s",
        < 3600 => $"{AxisNumber(seconds / 60)} min",
        < 86400 => $"{AxisNumber(seconds / 3600)} h",
        _ => $"{AxisNumber(seconds / 86400)} d",
    };

    private static string AxisNumber(double value) => value < 1000 ? value.ToString("0.#", CultureInfo.InvariantCulture) : Short((long)value);

    private static List<AxisLabel> YLabels(double max, Func<double, string> format) =>
        [.. new[] { 0, max / 2, max }.Select(v => new AxisLabel(PlotLeft - 6, Y(v, max) + 4, format(v)))];

    /// <summary>Every day of a week; otherwise every 7th (14th over two months) counted back from the last, which is always labelled.</summary>
    private static List<AxisLabel> XLabels(RunDashboard dashboard)
    {
        var count = dashboard.Days.Count;
        var step = count <= 7 ? 1 : count <= 45 ? 7 : 14;
        return [.. dashboard.Days.Select((day, i) => (day, i))
            .Where(d => (count - 1 - d.i) % step == 0)
            .Select(d => new AxisLabel(Column(d.i, count).X + Column(d.i, count).Width / 2, PlotBottom + 16, d.day.Day.ToString("MM-dd", CultureInfo.InvariantCulture)))];
    }

    /// <summary>A number above a bar when there is room for it.</summary>
    private static string? Label(long value, string text, double width) => value > 0 && width >= 9 ? text : null;

    public static string Fill(string kind) => kind switch
    {
        "met" => "#2e7d32",
        "not-met" or "failed" => "#c62828",
        "inconclusive" => "#ef6c00",
        "none" => "#9e9e9e",
        "p95" => "#9fa8da",
        "p50" or "input" => "#3949ab",
        "output" => "#7986cb",
        _ => "#eaeef2",
    };

    public static string N(double value) => LaneChart.N(value);

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Whole(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan? span) => span is { } s ? s.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) : "";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double rate) => rate.ToString("0%", CultureInfo.InvariantCulture);

    private static string Plural(long count, string noun) => $"{Count(count)} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>12, 1.2k, 34k, 1.5M: short enough to sit above a bar.</summary>
    public static string Short(long value) => value switch
    {
        < 1_000 => value.ToString(CultureInfo.InvariantCulture),
        < 10_000 => (value / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        < 1_000_000 => (value / 1000.0).ToString("0", CultureInfo.InvariantCulture) + "k",
        _ => (value / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "M",
    };
}
