using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;

namespace BotAgent.Traces.Pages;

/// <summary>
/// The lane chart with every position and word worked out (<see cref="LaneChart"/>), so Timeline.cshtml only writes
/// SVG. Positions are in the chart's own units (1200 wide); <paramref name="ExecutionHeight"/> is the execution lane's.
/// </summary>
public sealed record LaneChartModel(
    string RunId, DateTimeOffset Start, DateTimeOffset End, double Height, double ExecutionHeight,
    IReadOnlyList<ChartTick> Ticks,
    IReadOnlyList<PlanningMark> Planning,
    IReadOnlyList<ExecutionPoint> ExecutionEvents,
    IReadOnlyList<AttemptBar> Attempts,
    IReadOnlyList<IdleGap> Gaps,
    IReadOnlyList<ApprovalMarker> Markers);

/// <param name="Anchor">SVG text-anchor: the first and last ticks hug the plot's edges.</param>
public sealed record ChartTick(double X, string Label, string Anchor);

/// <summary>What the planning lane shows, in the order it happened: events as points, model calls as bars.</summary>
public abstract record PlanningMark;

/// <param name="Kind">Extra CSS classes, "" for none.</param>
/// <param name="Version">The plan version the event is about, for data-version; null when it names none.</param>
/// <param name="Label">Null: a point without words (its tooltip says what it was).</param>
public sealed record PlanningPoint(string Type, string Kind, double? Version, double X, string? Label, double LabelY, string Tooltip) : PlanningMark;

/// <param name="Label">Null when the bar is too short to hold it.</param>
public sealed record ModelCallBar(
    string Classes, string Purpose, string InputTokens, string OutputTokens, string LatencyMs, double X1, double X2, string? Label, string Tooltip) : PlanningMark;

public sealed record ExecutionPoint(string Type, bool Failure, double X, string Label, double LabelY, string Tooltip);

/// <param name="Y">The top of the attempt's row.</param>
/// <param name="LabelAnchor">"end" when the label sits left of the bar (no room right of it), else null.</param>
public sealed record AttemptBar(
    StepAttempt Attempt, string RowLabel, double Y, double X1, double X2, string Label, double LabelX, string? LabelAnchor, string Tooltip);

/// <param name="Idle">How long nothing happened, as words.</param>
public sealed record IdleGap(double X1, double X2, string Idle);

/// <summary>Lines across both lanes: approval asked, approved, rejected; in time order, as their labels were placed.</summary>
public abstract record ApprovalMarker(DateTimeOffset At, double X, string Label, double LabelY);

public sealed record ApprovalAsked(DateTimeOffset At, string PlanVersion, double X, string Label, double LabelY) : ApprovalMarker(At, X, Label, LabelY);

public sealed record ApprovalGiven(ApprovalDecision Decision, double X, string Label, double LabelY, string Tooltip)
    : ApprovalMarker(Decision.DecidedAt, X, Label, LabelY)
{
    public bool Approved => Decision.Verb == ApprovalVerb.Approve;
}
