using BotAgent.Core.Traces.Statistics;

namespace BotAgent.Traces.Pages;

/// <summary>
/// The runs dashboard above the list on <c>/runs</c>, laid out by <see cref="DashboardChart"/> so Dashboard.cshtml only
/// writes markup. <paramref name="Numbers"/> and the charts are null when nothing happened in the period.
/// </summary>
public sealed record DashboardModel(
    int Days, IReadOnlyList<PeriodLink> Periods, RunDashboard? Numbers,
    ColumnChart? Runs, ColumnChart? Waits, ToolChart? Tools, ColumnChart? Tokens);

public sealed record PeriodLink(int Days, string Href, bool Current);

/// <summary>One bar (or a stack of them) per day; positions in the chart's own units (<see cref="DashboardChart.Width"/> wide).</summary>
public sealed record ColumnChart(
    string Id, string Title, string Description, IReadOnlyList<AxisLabel> YLabels, IReadOnlyList<AxisLabel> XLabels, IReadOnlyList<DayColumn> Columns,
    IReadOnlyList<LegendItem> Legend);

/// <param name="Text">What the colour means, with its count over the period where there is one.</param>
public sealed record LegendItem(string Kind, string Text);

public sealed record AxisLabel(double X, double Y, string Text);

/// <param name="Data">data-* attributes (name without the prefix, value) that tests and tooling select by.</param>
/// <param name="Label">The number written above the bar; null when there is no room or nothing to say.</param>
public sealed record DayColumn(string Date, IReadOnlyList<(string Name, string Value)> Data, IReadOnlyList<BarSegment> Segments, string Title, string? Label, double LabelX, double LabelY);

/// <param name="Kind">Its class: met, not-met, inconclusive, none, p50, p95, input, output.</param>
public sealed record BarSegment(string Kind, double X, double Y, double Width, double Height)
{
    /// <summary>A presentation attribute, not CSS: the page shell's stylesheet is shared by every trace page.</summary>
    public string Fill => DashboardChart.Fill(Kind);
}

public sealed record ToolChart(double Height, IReadOnlyList<ToolBar> Bars);

/// <param name="Name">The tool's name, shortened to fit left of the bar (the title has it whole).</param>
/// <param name="Label">"2 of 10 attempts failed", written beside the bar.</param>
public sealed record ToolBar(ToolFailureRate Tool, string Name, double Y, double Width, string Label, string Percent);
