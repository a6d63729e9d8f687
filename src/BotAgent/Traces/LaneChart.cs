using System.Globalization;
using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Traces;
using BotAgent.Traces.Pages;
using static BotAgent.Traces.HtmlPage;

namespace BotAgent.Traces;

/// <summary>
/// Lays out the run as a lane chart, which Pages/Timeline.cshtml draws as SVG: a planning lane (events, plan
/// versions, model calls as bars with tokens and latency), an execution lane (one row per attempt, coloured by
/// outcome, retries under their step) and approval markers across both. The chart's elements carry ids, classes
/// and data-* attributes that tests and people's own tooling can select.
/// </summary>
internal static class LaneChart
{
    // Pages/Timeline.cshtml draws the lanes' frames and fixed labels from the same numbers.
    public const double Width = 1200, Left = 130, Right = 150, PlotWidth = Width - Left - Right;
    public const double MarkerTop = 46, PlanningTop = 58, PlanningHeight = 96, ExecutionTop = PlanningTop + PlanningHeight + 12;
    public const double RowHeight = 20, RowsTop = 40;

    public static LaneChartModel Create(RunLedger ledger)
    {
        var run = ledger.Run;
        var scale = TimeScale.Create(run.CreatedAt, ledger.LastActivityAt, Moments(ledger), Left, PlotWidth);
        var rows = Rows(ledger.Attempts);
        var executionHeight = RowsTop + Math.Max(1, rows.Count) * RowHeight + 10;
        var height = ExecutionTop + executionHeight + 12;
        return new LaneChartModel(
            run.Id, run.CreatedAt, scale.End, height, executionHeight,
            Ticks(scale), PlanningLane(ledger, scale), ExecutionEvents(ledger, scale),
            [.. rows.Select((attempt, row) => Attempt(attempt, row, scale))],
            Gaps(scale), Markers(ledger, scale));
    }

    private static IEnumerable<DateTimeOffset> Moments(RunLedger ledger)
    {
        foreach (var e in ledger.Events)
        {
            yield return e.At;
            if (e.Type is TraceTypes.ModelCall or TraceTypes.ModelError && Data(e)?["latencyMs"] is { } latency)
                yield return e.At.AddMilliseconds(-Number(latency));
        }
        foreach (var a in ledger.Attempts)
        {
            yield return a.StartedAt;
            if (a.FinishedAt is { } finished)
                yield return finished;
        }
        foreach (var d in ledger.Decisions)
            yield return d.DecidedAt;
        foreach (var p in ledger.Plans)
            yield return p.CreatedAt;
    }

    private static List<ChartTick> Ticks(TimeScale scale) =>
        [.. scale.Ticks(6).Select(tick => new ChartTick(
            tick.X,
            tick.SinceStart == TimeSpan.Zero ? "0" : "+" + Duration(tick.SinceStart),
            tick.X <= Left ? "start" : tick.X >= Left + PlotWidth ? "end" : "middle"))];

    private static List<PlanningMark> PlanningLane(RunLedger ledger, TimeScale scale)
    {
        var marks = new List<PlanningMark>();
        var labels = new LabelRows(PlanningTop + 16, PlanningTop + 50);
        foreach (var e in ledger.Events.Where(e => e.Lane == "planning"))
        {
            var data = Data(e);
            if (e.Type is TraceTypes.ModelCall or TraceTypes.ModelError)
            {
                marks.Add(ModelCall(e, data, scale));
                continue;
            }
            var (label, kind) = PlanningLabel(e.Type, data);
            var x = scale.X(e.At);
            var version = data?["version"] is { } v ? Number(v) : (double?)null;
            var labelY = label is null ? 0 : labels.Place(x + 6, label);
            marks.Add(new PlanningPoint(e.Type, kind, version, x, label, labelY, Tooltip(e, data)));
        }
        return marks;
    }

    private static (string? Label, string Kind) PlanningLabel(string type, JsonObject? data) => type switch
    {
        TraceTypes.GoalReceived => ("goal", ""),
        TraceTypes.PlanProposed => ($"plan v{Number(data?["version"]):0}", "plan-version"),
        TraceTypes.PlanRevised => ($"plan v{Number(data?["version"]):0}", "plan-version revision"),
        TraceTypes.RevisionRequested => ("re-plan", "replan"),
        TraceTypes.PlanNotRevised => ("not revised", "failure"),
        TraceTypes.ObservationRequested => (null, "observe"),
        TraceTypes.ObservationAnswered => ($"observe: {Text(data?["decision"])}", "observe"),
        TraceTypes.GoalJudged => ($"goal {Text(data?["verdict"])?.Replace('_', ' ')}", Text(data?["verdict"]) == "not_met" ? "failure goal" : "goal"),
        TraceTypes.PolicyVerdict => (data?["allowed"]?.GetValue<bool>() == false ? "policy ✗" : "policy ✓", data?["allowed"]?.GetValue<bool>() == false ? "failure" : "policy"),
        TraceTypes.PlanNotMade => ("no plan", "failure"),
        TraceTypes.PlanValidation when data?["valid"]?.GetValue<bool>() == false => ("invalid → repair", "failure repair"),
        TraceTypes.PlanValidation => (null, "validation"),
        _ => (type, ""),
    };

    private static ModelCallBar ModelCall(TraceEvent e, JsonObject? data, TimeScale scale)
    {
        var latency = Number(data?["latencyMs"]);
        var x2 = scale.X(e.At);
        var x1 = Math.Min(scale.X(e.At.AddMilliseconds(-latency)), x2 - 4);
        var purpose = Text(data?["purpose"]) ?? "call";
        var input = Number(data?["inputTokens"]);
        var output = Number(data?["outputTokens"]);
        var error = e.Type == TraceTypes.ModelError;
        var classes = "model-call" + (error ? " error" : "") + (purpose.EndsWith(".repair", StringComparison.Ordinal) ? " repair" : "");
        var label = error ? $"{purpose} failed" : $"{purpose} · {input + output:0} tok";
        var tip = error
            ? $"Model call failed ({purpose}) after {latency:0} ms: {Text(data?["error"])}"
            : $"Model call ({purpose}) · {Text(data?["provider"])} {Text(data?["model"])}\n{input:0} input + {output:0} output tokens · {latency:0} ms · finish {Text(data?["finishReason"]) ?? "?"}\nat {Time(e.At)}";
        return new ModelCallBar(classes, purpose, Whole(input), Whole(output), Whole(latency), x1, x2, x2 - x1 > label.Length * 6.2 ? label : null, tip);
    }

    /// <summary>One row per attempt, grouped by step (plan version, then first start), retries under their first attempt.</summary>
    private static List<StepAttempt> Rows(IReadOnlyList<StepAttempt> attempts) =>
        [.. attempts.GroupBy(a => (a.PlanVersion, a.StepId))
            .OrderBy(g => g.Min(a => a.StartedAt))
            .SelectMany(g => g.OrderBy(a => a.Attempt))];

    private static List<ExecutionPoint> ExecutionEvents(RunLedger ledger, TimeScale scale)
    {
        var points = new List<ExecutionPoint>();
        var labels = new LabelRows(ExecutionTop + 17, ExecutionTop + 31);
        foreach (var e in ledger.Events.Where(e => e.Lane == "execution" && ExecutionLabel(e.Type) is not null))
        {
            var x = scale.X(e.At);
            var data = Data(e);
            var label = ExecutionLabel(e.Type) is { Length: > 0 } fixedLabel ? fixedLabel : Text(data?["status"]) ?? "finished";
            var failure = e.Type is TraceTypes.StepRefused or TraceTypes.ApprovalRefused || (e.Type == TraceTypes.RunFinished && Text(data?["status"]) != "succeeded");
            points.Add(new ExecutionPoint(e.Type, failure, x, label, labels.Place(x + 7, label), Tooltip(e, data)));
        }
        return points;
    }

    /// <summary>Execution events drawn as points; attempts are bars and decisions markers, so those are not repeated. "" = the data's status.</summary>
    private static string? ExecutionLabel(string type) => type switch
    {
        TraceTypes.RunStarted => "start",
        TraceTypes.RunResumed => "resumed",
        TraceTypes.RunFinished => "",
        TraceTypes.StepRefused => "refused",
        TraceTypes.ApprovalRefused => "click refused",
        TraceTypes.AttemptInterrupted => "interrupted",
        TraceTypes.DecisionRequested => "asks a person",
        TraceTypes.StepResolved => "resolved",
        TraceTypes.RunExpired => "expired",
        _ => null,
    };

    private static AttemptBar Attempt(StepAttempt attempt, int row, TimeScale scale)
    {
        var y = ExecutionTop + RowsTop + row * RowHeight;
        var x1 = scale.X(attempt.StartedAt);
        var x2 = Math.Max(scale.X(attempt.FinishedAt ?? (attempt.State == StepState.Running ? scale.End : attempt.StartedAt)), x1 + 4);
        var took = attempt.FinishedAt is { } f ? Duration(f - attempt.StartedAt) : "still running";
        var rowLabel = attempt.Attempt > 1 ? $"retry #{attempt.Attempt}" : $"v{attempt.PlanVersion} · {attempt.StepId}";
        var label = $"{attempt.Tool} #{attempt.Attempt} {attempt.State.ToWire().Replace('_', ' ')} · {took}";
        // No room right of the bar before the chart's edge: the label goes left of it, ending at the bar.
        var before = x2 + 6 + label.Length * 6 > Width - 8;
        var tip = $"Step {attempt.StepId}, attempt {attempt.Attempt} (plan v{attempt.PlanVersion}) · {attempt.Tool}\n{attempt.State.ToWire()} · {took}\nstarted {Time(attempt.StartedAt)}\n{TextExcerpt.Truncate(attempt.Summary ?? "", 300)}";
        return new AttemptBar(attempt, rowLabel, y, x1, x2, label, before ? x1 - 6 : x2 + 6, before ? "end" : null, tip);
    }

    private static List<IdleGap> Gaps(TimeScale scale) =>
        [.. scale.Breaks.Select(gap =>
        {
            var x1 = scale.X(gap.From) + 2;
            return new IdleGap(x1, Math.Max(scale.X(gap.To) - 2, x1 + 2), Duration(gap.To - gap.From));
        })];

    private static List<ApprovalMarker> Markers(RunLedger ledger, TimeScale scale)
    {
        // Requests and decisions interleave in time; labels are placed left to right.
        var moments = ledger.Events.Where(e => e.Type == TraceTypes.ApprovalRequested).Select(e => (e.At, Request: (TraceEvent?)e, Decision: (ApprovalDecision?)null))
            .Concat(ledger.Decisions.Select(d => (At: d.DecidedAt, Request: (TraceEvent?)null, Decision: (ApprovalDecision?)d)))
            .OrderBy(m => m.At);
        var labels = new LabelRows(MarkerTop - 2, MarkerTop - 14);
        var markers = new List<ApprovalMarker>();
        foreach (var (at, request, decision) in moments)
        {
            var x = scale.X(at);
            if (request is not null)
            {
                var version = Number(Data(request)?["planVersion"]);
                var label = "approval asked" + (version > 0 ? $" (v{version:0})" : "");
                markers.Add(new ApprovalAsked(at, Whole(version), x, label, labels.Place(x + 4, label)));
                continue;
            }
            var d = decision!;
            var approve = d.Verb == ApprovalVerb.Approve;
            var text = $"{(approve ? "✔" : "✘")} {d.Approver.Name} · v{d.PlanVersion}";
            var tip = $"{(approve ? "Approved" : "Rejected")} by {d.Approver.Name} ({d.Approver.Id}) at {Time(at)} · plan v{d.PlanVersion} {d.PlanHash}";
            markers.Add(new ApprovalGiven(d, x, text, labels.Place(x + 4, text), tip));
        }
        return markers;
    }

    private static string Tooltip(TraceEvent e, JsonObject? data) =>
        $"{e.Type} at {Time(e.At)}{(e.StepId is null ? "" : $" · step {e.StepId}")}{(e.Attempt is null ? "" : $" #{e.Attempt}")}"
        + (data is null ? "" : "\n" + TextExcerpt.Truncate(data.ToJsonString(), 400));

    private static JsonObject? Data(TraceEvent e)
    {
        if (e.DataJson is null)
            return null;
        try
        {
            return JsonNode.Parse(e.DataJson) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static double Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number : 0;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();

    /// <summary>A coordinate as the chart writes it: at most one decimal, a point for the separator.</summary>
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Whole(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
