using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Traces;
using static BotAgent.Traces.HtmlPage;

namespace BotAgent.Traces;

/// <summary>
/// The run as an SVG lane chart: a planning lane (events, plan versions, model calls as bars with tokens and
/// latency), an execution lane (one row per attempt, coloured by outcome, retries under their step) and
/// approval markers across both. Elements carry ids, classes and data-* attributes that tests and people's
/// own tooling can select.
/// </summary>
internal static class LaneChart
{
    private const double Width = 1200, Left = 130, Right = 150, PlotWidth = Width - Left - Right;
    private const double MarkerTop = 46, PlanningTop = 58, PlanningHeight = 96, ExecutionTop = PlanningTop + PlanningHeight + 12;
    private const double RowHeight = 20, RowsTop = 40;

    public static string Render(RunLedger ledger)
    {
        var run = ledger.Run;
        var scale = TimeScale.Create(run.CreatedAt, ledger.LastActivityAt, Moments(ledger), Left, PlotWidth);
        var rows = Rows(ledger.Attempts);
        var executionHeight = RowsTop + Math.Max(1, rows.Count) * RowHeight + 10;
        var height = ExecutionTop + executionHeight + 12;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg class="lanes" id="lane-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {Width} {N(height)}" role="img" aria-labelledby="chart-title" data-start="{run.CreatedAt:O}" data-end="{scale.End:O}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="chart-title">Timeline of run {E(run.Id)}: planning and execution</title>""");
        svg.Append("""<defs><pattern id="gap-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/><line x1="0" y1="0" x2="0" y2="8" stroke="#d0d7de" stroke-width="4"/></pattern></defs>""");
        Ticks(svg, scale, height);
        PlanningLane(svg, ledger, scale);
        ExecutionLane(svg, ledger, scale, rows, executionHeight);
        Gaps(svg, scale, height);
        Markers(svg, ledger, scale, height);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static IEnumerable<DateTimeOffset> Moments(RunLedger ledger)
    {
        foreach (var e in ledger.Events)
        {
            yield return e.At;
            if (e.Type is LlmPlanner.CallEvent or LlmPlanner.ErrorEvent && Data(e)?["latencyMs"] is { } latency)
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

    private static void Ticks(StringBuilder svg, TimeScale scale, double height)
    {
        svg.Append("""<g class="axis">""");
        foreach (var (x, since) in scale.Ticks(6))
        {
            var label = since == TimeSpan.Zero ? "0" : "+" + Duration(since);
            var anchor = x <= Left ? "start" : x >= Left + PlotWidth ? "end" : "middle";
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="tick"><line x1="{N(x)}" y1="26" x2="{N(x)}" y2="{N(height - 6)}"/><text x="{N(x)}" y="18" text-anchor="{anchor}">{E(label)}</text></g>""");
        }
        svg.Append("</g>");
    }

    private static void PlanningLane(StringBuilder svg, RunLedger ledger, TimeScale scale)
    {
        svg.Append(CultureInfo.InvariantCulture, $"""<g id="lane-planning" class="lane planning" data-lane="planning"><rect class="lane-bg" x="4" y="{PlanningTop}" width="{Width - 8}" height="{PlanningHeight}" rx="4"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text class="lane-label" x="12" y="{PlanningTop + 18}">Planning</text><text class="row-label" x="{Left - 8}" y="{PlanningTop + 32}">events</text><text class="row-label" x="{Left - 8}" y="{PlanningTop + 76}">model calls</text>""");
        var labels = new LabelRows(PlanningTop + 16, PlanningTop + 50);
        foreach (var e in ledger.Events.Where(e => e.Lane == "planning"))
        {
            var data = Data(e);
            if (e.Type is LlmPlanner.CallEvent or LlmPlanner.ErrorEvent)
            {
                ModelCall(svg, e, data, scale);
                continue;
            }
            var (label, kind) = PlanningLabel(e.Type, data);
            var x = scale.X(e.At);
            var version = data?["version"] is { } v ? $" data-version=\"{Number(v)}\"" : "";
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="event planning-event {kind}" data-type="{E(e.Type)}"{version}><circle cx="{N(x)}" cy="{PlanningTop + 30}" r="5"/>""");
            if (label is not null)
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 6)}" y="{N(labels.Place(x + 6, label))}">{E(label)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<title>{E(Tooltip(e, data))}</title></g>""");
        }
        svg.Append("</g>");
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
        LlmPlanner.ValidationEvent when data?["valid"]?.GetValue<bool>() == false => ("invalid → repair", "failure repair"),
        LlmPlanner.ValidationEvent => (null, "validation"),
        _ => (type, ""),
    };

    private static void ModelCall(StringBuilder svg, TraceEvent e, JsonObject? data, TimeScale scale)
    {
        var latency = Number(data?["latencyMs"]);
        var x2 = scale.X(e.At);
        var x1 = Math.Min(scale.X(e.At.AddMilliseconds(-latency)), x2 - 4);
        var purpose = Text(data?["purpose"]) ?? "call";
        var input = Number(data?["inputTokens"]);
        var output = Number(data?["outputTokens"]);
        var error = e.Type == LlmPlanner.ErrorEvent;
        var classes = "model-call" + (error ? " error" : "") + (purpose.EndsWith(".repair", StringComparison.Ordinal) ? " repair" : "");
        svg.Append(CultureInfo.InvariantCulture, $"""<g class="{classes}" data-purpose="{E(purpose)}" data-input-tokens="{input:0}" data-output-tokens="{output:0}" data-latency-ms="{latency:0}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(x1)}" y="{PlanningTop + 64}" width="{N(x2 - x1)}" height="18" rx="3"/>""");
        var label = error ? $"{purpose} failed" : $"{purpose} · {input + output:0} tok";
        if (x2 - x1 > label.Length * 6.2)
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x1 + 4)}" y="{PlanningTop + 77}">{E(label)}</text>""");
        var tip = error
            ? $"Model call failed ({purpose}) after {latency:0} ms: {Text(data?["error"])}"
            : $"Model call ({purpose}) · {Text(data?["provider"])} {Text(data?["model"])}\n{input:0} input + {output:0} output tokens · {latency:0} ms · finish {Text(data?["finishReason"]) ?? "?"}\nat {Time(e.At)}";
        svg.Append(CultureInfo.InvariantCulture, $"""<title>{E(tip)}</title></g>""");
    }

    /// <summary>One row per attempt, grouped by step (plan version, then first start), retries under their first attempt.</summary>
    private static List<StepAttempt> Rows(IReadOnlyList<StepAttempt> attempts) =>
        [.. attempts.GroupBy(a => (a.PlanVersion, a.StepId))
            .OrderBy(g => g.Min(a => a.StartedAt))
            .SelectMany(g => g.OrderBy(a => a.Attempt))];

    private static void ExecutionLane(StringBuilder svg, RunLedger ledger, TimeScale scale, List<StepAttempt> rows, double height)
    {
        svg.Append(CultureInfo.InvariantCulture, $"""<g id="lane-execution" class="lane execution" data-lane="execution"><rect class="lane-bg" x="4" y="{ExecutionTop}" width="{Width - 8}" height="{N(height)}" rx="4"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text class="lane-label" x="12" y="{ExecutionTop + 18}">Execution</text>""");
        var labels = new LabelRows(ExecutionTop + 17, ExecutionTop + 31);
        foreach (var e in ledger.Events.Where(e => e.Lane == "execution" && ExecutionLabel(e.Type) is not null))
        {
            var x = scale.X(e.At);
            var data = Data(e);
            var label = ExecutionLabel(e.Type) is { Length: > 0 } fixedLabel ? fixedLabel : Text(data?["status"]) ?? "finished";
            var failure = e.Type is TraceTypes.StepRefused or TraceTypes.ApprovalRefused || (e.Type == TraceTypes.RunFinished && Text(data?["status"]) != "succeeded");
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="event execution-event{(failure ? " failure" : "")}" data-type="{E(e.Type)}"><path d="M{N(x)} {ExecutionTop + 8} l5 5 l-5 5 l-5 -5 z"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 7)}" y="{N(labels.Place(x + 7, label))}">{E(label)}</text><title>{E(Tooltip(e, data))}</title></g>""");
        }
        for (var i = 0; i < rows.Count; i++)
            Attempt(svg, rows[i], i, scale);
        svg.Append("</g>");
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

    private static void Attempt(StringBuilder svg, StepAttempt attempt, int row, TimeScale scale)
    {
        var y = ExecutionTop + RowsTop + row * RowHeight;
        var x1 = scale.X(attempt.StartedAt);
        var x2 = Math.Max(scale.X(attempt.FinishedAt ?? (attempt.State == StepState.Running ? scale.End : attempt.StartedAt)), x1 + 4);
        var state = StateSlug(attempt.State);
        var took = attempt.FinishedAt is { } f ? Duration(f - attempt.StartedAt) : "still running";
        var retry = attempt.Attempt > 1 ? " retry" : "";
        var rowLabel = attempt.Attempt > 1 ? $"retry #{attempt.Attempt}" : $"v{attempt.PlanVersion} · {attempt.StepId}";
        svg.Append(CultureInfo.InvariantCulture, $"""<g class="attempt state-{state}{retry}" id="bar-attempt-{attempt.Id}" data-step="{E(attempt.StepId)}" data-attempt="{attempt.Attempt}" data-state="{attempt.State.ToWire()}" data-plan-version="{attempt.PlanVersion}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text class="row-label" x="{Left - 8}" y="{N(y + 13)}">{E(rowLabel)}</text><rect x="{N(x1)}" y="{N(y + 2)}" width="{N(x2 - x1)}" height="15" rx="3"/>""");
        var label = $"{attempt.Tool} #{attempt.Attempt} {attempt.State.ToWire().Replace('_', ' ')} · {took}";
        svg.Append(x2 + 6 + label.Length * 6 > Width - 8
            ? string.Create(CultureInfo.InvariantCulture, $"""<text x="{N(x1 - 6)}" y="{N(y + 13)}" text-anchor="end">{E(label)}</text>""")
            : string.Create(CultureInfo.InvariantCulture, $"""<text x="{N(x2 + 6)}" y="{N(y + 13)}">{E(label)}</text>"""));
        var tip = $"Step {attempt.StepId}, attempt {attempt.Attempt} (plan v{attempt.PlanVersion}) · {attempt.Tool}\n{attempt.State.ToWire()} · {took}\nstarted {Time(attempt.StartedAt)}\n{TextExcerpt.Truncate(attempt.Summary ?? "", 300)}";
        svg.Append(CultureInfo.InvariantCulture, $"""<title>{E(tip)}</title></g>""");
    }

    private static void Gaps(StringBuilder svg, TimeScale scale, double height)
    {
        foreach (var (from, to) in scale.Breaks)
        {
            var x1 = scale.X(from) + 2;
            var x2 = Math.Max(scale.X(to) - 2, x1 + 2);
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="gap"><rect x="{N(x1)}" y="{PlanningTop}" width="{N(x2 - x1)}" height="{N(height - PlanningTop - 12)}"/><text x="{N((x1 + x2) / 2)}" y="{PlanningTop - 2}">{E("idle " + Duration(to - from))}</text><title>{E($"Nothing happened for {Duration(to - from)}; the chart skips most of it.")}</title></g>""");
        }
    }

    private static void Markers(StringBuilder svg, RunLedger ledger, TimeScale scale, double height)
    {
        // Requests and decisions interleave in time; labels are placed left to right.
        var markers = ledger.Events.Where(e => e.Type == TraceTypes.ApprovalRequested).Select(e => (e.At, Request: (TraceEvent?)e, Decision: (ApprovalDecision?)null))
            .Concat(ledger.Decisions.Select(d => (At: d.DecidedAt, Request: (TraceEvent?)null, Decision: (ApprovalDecision?)d)))
            .OrderBy(m => m.At);
        var labels = new LabelRows(MarkerTop - 2, MarkerTop - 14);
        foreach (var (at, request, decision) in markers)
        {
            var x = scale.X(at);
            if (request is not null)
            {
                var version = Number(Data(request)?["planVersion"]);
                var label = "approval asked" + (version > 0 ? $" (v{version:0})" : "");
                svg.Append(CultureInfo.InvariantCulture, $"""<g class="marker request" data-plan-version="{version:0}" data-at="{at:O}"><line x1="{N(x)}" y1="{MarkerTop}" x2="{N(x)}" y2="{N(height - 8)}"/>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 4)}" y="{N(labels.Place(x + 4, label))}">{E(label)}</text><title>{E($"Approval requested at {Time(at)}")}</title></g>""");
                continue;
            }
            var d = decision!;
            var approve = d.Verb == ApprovalVerb.Approve;
            var text = $"{(approve ? "✔" : "✘")} {d.Approver.Name} · v{d.PlanVersion}";
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="marker {(approve ? "approval" : "rejection")}" data-approver="{E(d.Approver.Name)}" data-approver-id="{E(d.Approver.Id)}" data-plan-version="{d.PlanVersion}" data-plan-hash="{E(d.PlanHash)}" data-at="{at:O}">""");
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{N(x)}" y1="{MarkerTop}" x2="{N(x)}" y2="{N(height - 8)}"/><path d="M{N(x)} {MarkerTop} l9 4 l-9 4 z"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 4)}" y="{N(labels.Place(x + 4, text))}">{E(text)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<title>{E($"{(approve ? "Approved" : "Rejected")} by {d.Approver.Name} ({d.Approver.Id}) at {Time(at)} · plan v{d.PlanVersion} {d.PlanHash}")}</title></g>""");
        }
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

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
