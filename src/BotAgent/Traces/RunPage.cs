using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Observation;
using BotAgent.Core.Reporting;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using static BotAgent.Traces.HtmlPage;

namespace BotAgent.Traces;

/// <summary>
/// <c>/runs/{id}</c>: the verdict in one line, the lane chart, the plan versions side by side with what
/// changed, every tool call with its arguments, result and error, the decisions and the raw events.
/// </summary>
internal static class RunPage
{
    private const int MaxOutputChars = 20_000;

    // Relaxed escaping: the page HTML-encodes what it shows, so JSON's own \uXXXX escapes would only hide text.
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="ledger">Already redacted.</param>
    /// <param name="basePath">The app's path base, for links.</param>
    public static string Render(RunLedger ledger, string basePath)
    {
        var run = ledger.Run;
        var html = new StringBuilder();
        html.Append($"""<nav class="muted"><a href="{E(basePath)}/runs">All runs</a> › <span class="mono">{E(run.Id)}</span> · <a href="{E(basePath)}/runs/{E(Uri.EscapeDataString(run.Id))}.json">JSON</a></nav>""");
        html.Append($"""<h1 id="goal">{E(run.Goal)}</h1>""");
        var verdict = ledger.Verdict;
        html.Append($"""<p id="verdict" class="verdict {Slug(verdict)}" data-verdict="{Slug(verdict)}"><strong>{E(Capitalised(verdict.Describe()))}</strong>{(run.Outcome is null ? "" : " — " + E(run.Outcome))}</p>""");
        if (run.GoalVerdict is { } goal)
            html.Append($"""<p id="goal-verdict" class="goal {E(goal.Wire.Replace('_', '-'))}" data-goal="{E(goal.Wire)}"><strong>{E(goal.Headline)}</strong> — {E(goal.Reason)}{(goal.Evidence.Count == 0 ? "" : $" <span class=\"muted\">(evidence: {E(string.Join(", ", goal.Evidence))})</span>")}</p>""");
        Facts(html, ledger);
        html.Append("""<h2>Timeline</h2><div class="chart" id="timeline">""");
        html.Append(LaneChart.Render(ledger));
        html.Append("""
            <div class="legend"><span><i style="background:#3949ab"></i>model call (hover: tokens, latency)</span><span><i style="background:#2e7d32"></i>succeeded</span>
            <span><i style="background:#c62828"></i>failed</span><span><i style="background:#ef6c00"></i>timed out</span><span><i style="background:#9e9e9e"></i>cancelled</span>
            <span><i style="background:#7b1fa2"></i>outcome unknown</span><span><i style="background:#1565c0"></i>running</span><span>┊ approval / rejection (who, when, which plan)</span></div></div>
            """);
        Plans(html, ledger);
        Attempts(html, ledger);
        Decisions(html, ledger);
        Events(html, ledger);
        return html.ToString();
    }

    private static void Facts(StringBuilder html, RunLedger ledger)
    {
        var run = ledger.Run;
        var conversation = run.Conversation;
        html.Append("""<dl class="facts" id="facts">""");
        Fact(html, "Run", $"""<span class="mono">{E(run.Id)}</span>""");
        Fact(html, "Status", $"""<span class="badge {E(run.Status.ToWire().Replace('_', '-'))}" id="status">{E(run.Status.ToWire())}</span>""");
        Fact(html, "Requested by", $"""{E(run.Requester.Name)} <span class="muted mono">{E(run.Requester.Id)}</span>""");
        Fact(html, "Conversation", $"""{E(conversation.ChannelId)} · <span class="mono">{E(conversation.ConversationId)}</span>{(KindOf(conversation) is not { } kind ? "" : " · " + E(kind))}""");
        Fact(html, "Risk", E(run.RiskLevel?.ToWire() ?? "—"));
        Fact(html, "Plan", run.PlanVersion == 0 ? "none" : $"""v{run.PlanVersion} · <span class="mono">{E(run.PlanHash)}</span>""");
        Fact(html, "Created", E(Time(run.CreatedAt)));
        Fact(html, "Last activity", $"{E(Time(ledger.LastActivityAt))} ({E(Duration(ledger.LastActivityAt - run.CreatedAt))} after it was created)");
        if (run.Status == RunStatus.AwaitingApproval && run.ExpiresAt is { } expires)
            Fact(html, "Expires", E(Time(expires)));
        if (run.Approval is { } approval)
            Fact(html, "Approval", E(ApprovalRules.Describe(approval, run.Requester)));
        html.Append("</dl>");
    }

    private static void Fact(StringBuilder html, string name, string valueHtml) =>
        html.Append($"<dt>{E(name)}</dt><dd>{valueHtml}</dd>");

    private static void Plans(StringBuilder html, RunLedger ledger)
    {
        html.Append($"""<h2>Plan versions <span class="muted">({ledger.Plans.Count})</span></h2><div class="plans" id="plans">""");
        PlanVersion? previous = null;
        foreach (var version in ledger.Plans)
        {
            var current = version.Version == ledger.Run.PlanVersion;
            var before = previous?.Plan.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
            html.Append($"""<article class="plan{(current ? " current" : "")}" id="plan-v{version.Version}" data-version="{version.Version}" data-hash="{E(version.Hash)}">""");
            html.Append($"""<h3>v{version.Version}{(current ? " (current)" : "")} <span class="muted mono">{E(version.Hash)}</span></h3>""");
            html.Append($"""<div class="muted">{E(version.Planner)} · {E(Time(version.CreatedAt))} · risk {E(version.Plan.RiskLevel.ToWire())}</div>""");
            if (version.Plan.Envelope is { } envelope)
                html.Append($"""<p class="envelope muted" data-max-extra="{envelope.MaxExtraSteps}" data-max-risk="{E(envelope.MaxRisk.ToWire())}">{E(Core.Reporting.EnvelopeText.Describe(envelope))}</p>""");
            if (previous is not null)
                Diff(html, ledger, previous, version);
            html.Append("<table><thead><tr><th>Step</th><th>Tool</th><th>Arguments</th><th>Risk</th><th>Result</th></tr></thead><tbody>");
            var skipped = ledger.Events.Where(e => e.Type == TraceTypes.StepSkipped && current).Select(e => e.StepId).ToHashSet(StringComparer.Ordinal);
            foreach (var step in version.Plan.Steps)
            {
                var change = before is null ? "" : !before.TryGetValue(step.Id, out var old) ? "added" : Same(old, step) ? "" : "changed";
                var last = ledger.Attempts.Where(a => a.PlanVersion == version.Version && a.StepId == step.Id).MaxBy(a => a.Attempt);
                html.Append($"""<tr class="step {change}" data-step="{E(step.Id)}"><td><strong>{E(step.Id)}</strong> {E(step.Title)}{(step.Expect is { } expect ? $"<br><span class=\"muted expect\">{E(ExpectationCheck.Describe(expect))}</span>" : "")}</td>""");
                html.Append($"""<td class="mono">{E(step.Tool)}{(step.Targets is { Count: > 0 } targets ? $"<br><span class=\"muted target\">→ {E(string.Join(", ", targets))}</span>" : "")}</td>""");
                html.Append($"""<td><pre>{E(Pretty(step.Args.GetRawText()))}</pre></td><td>{E(step.Risk.ToWire())}</td>""");
                var notRun = skipped.Contains(step.Id) ? "<span class=\"badge skipped\">skipped</span>" : "<span class=\"muted\">not run</span>";
                html.Append($"""<td>{(last is null ? notRun : $"<span class=\"badge {StateSlug(last.State)}\">{E(last.State.ToWire())}</span>")}</td></tr>""");
            }
            html.Append($"""</tbody></table><p class="muted">Success: {E(version.Plan.SuccessCriteria)}</p></article>""");
            previous = version;
        }
        if (ledger.Plans.Count == 0)
            html.Append("""<p class="muted">No plan was made.</p>""");
        html.Append("</div>");
    }

    private static void Diff(StringBuilder html, RunLedger ledger, PlanVersion previous, PlanVersion version)
    {
        // Steps that already succeeded under the previous version are done, not "removed".
        var done = ledger.Attempts.Where(a => a.PlanVersion == previous.Version && a.State == StepState.Succeeded)
            .Select(a => a.StepId).ToHashSet(StringComparer.Ordinal);
        var changes = PlanDiff.Compare(previous.Plan, version.Plan, done);
        html.Append($"""<div class="plan-diff" data-from="{previous.Version}" data-to="{version.Version}"><strong>What changed since v{previous.Version}</strong><ul>""");
        foreach (var change in changes)
        {
            var kind = change.StartsWith('+') ? "added" : change.StartsWith('−') ? "removed" : change.StartsWith('~') ? "changed" : "risk";
            html.Append($"""<li class="{kind}">{E(change)}</li>""");
        }
        if (changes.Count == 0)
            html.Append("<li>nothing (the same steps again)</li>");
        html.Append("</ul></div>");
    }

    private static bool Same(PlanStep a, PlanStep b) =>
        a.Tool == b.Tool && a.Risk == b.Risk && a.Args.GetRawText() == b.Args.GetRawText();

    private static void Attempts(StringBuilder html, RunLedger ledger)
    {
        html.Append($"""<h2>Tool calls <span class="muted">({ledger.Attempts.Count})</span></h2>""");
        if (ledger.Attempts.Count == 0)
        {
            html.Append("""<p class="muted" id="attempts">No tool was called.</p>""");
            return;
        }
        html.Append("""<table id="attempts"><thead><tr><th>Step</th><th>Tool</th><th>Outcome</th><th>Started</th><th>Took</th><th>Arguments</th><th>Result</th></tr></thead><tbody>""");
        foreach (var a in ledger.Attempts.OrderBy(a => a.StartedAt).ThenBy(a => a.Id))
        {
            html.Append($"""<tr class="attempt state-{StateSlug(a.State)}{(a.Attempt > 1 ? " retry" : "")}" id="attempt-{a.Id}" data-step="{E(a.StepId)}" data-attempt="{a.Attempt}">""");
            html.Append($"""<td>v{a.PlanVersion} · <strong>{E(a.StepId)}</strong><br><span class="muted">attempt {a.Attempt}</span></td><td class="mono">{E(a.Tool)}</td>""");
            html.Append($"""<td><span class="badge {StateSlug(a.State)}">{E(a.State.ToWire())}</span></td><td class="muted">{E(ShortTime(a.StartedAt))}</td>""");
            html.Append($"""<td>{(a.FinishedAt is { } f ? E(Duration(f - a.StartedAt)) : "—")}</td><td><pre class="args">{E(Pretty(a.ArgsJson))}</pre></td><td>""");
            if (a.Summary is not null)
                html.Append($"""<div class="summary">{E(a.Summary)}</div>""");
            if (a.Error is not null)
                html.Append($"""<pre class="error">{E(a.Error)}</pre>""");
            if (!string.IsNullOrEmpty(a.Output))
            {
                var shown = Core.Reporting.TextExcerpt.Truncate(a.Output, MaxOutputChars);
                html.Append($"""<details class="output"><summary>Output ({a.Output.Length:N0} chars{(shown.Length < a.Output.Length ? ", start shown; the JSON export has it all" : "")})</summary><pre>{E(shown)}</pre></details>""");
            }
            html.Append("</td></tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void Decisions(StringBuilder html, RunLedger ledger)
    {
        html.Append("""<h2>Decisions</h2><ul id="decisions">""");
        foreach (var d in ledger.Decisions)
        {
            var verb = d.Verb == ApprovalVerb.Approve ? "approval" : "rejection";
            html.Append($"""<li class="decision {verb}">{(d.Verb == ApprovalVerb.Approve ? "Approved" : "Rejected")} by <strong>{E(d.Approver.Name)}</strong> <span class="muted mono">{E(d.Approver.Id)}</span> at {E(Time(d.DecidedAt))} · plan v{d.PlanVersion} <span class="mono">{E(d.PlanHash)}</span></li>""");
        }
        foreach (var r in ledger.Resolutions)
            html.Append($"""<li class="decision resolution">Step {E(r.StepId)}: <strong>{E(r.Kind.ToString().ToLowerInvariant())}</strong> by {E(r.DecidedBy.Name)} at {E(Time(r.DecidedAt))}</li>""");
        if (ledger.Decisions.Count == 0 && ledger.Resolutions.Count == 0)
            html.Append("""<li class="muted">Nobody decided anything on this run.</li>""");
        html.Append("</ul>");
    }

    private static void Events(StringBuilder html, RunLedger ledger)
    {
        html.Append($"""<h2>Trace events</h2><details id="events"><summary>All {ledger.Events.Count} events, both lanes</summary><table><thead><tr><th>Lane</th><th>At</th><th>Type</th><th>Step</th><th>Data</th></tr></thead><tbody>""");
        foreach (var e in ledger.Events)
        {
            html.Append($"""<tr class="event {E(e.Lane)}" data-type="{E(e.Type)}"><td>{E(e.Lane)}</td><td class="muted">+{E(Duration(e.At - ledger.Run.CreatedAt))}</td><td class="mono">{E(e.Type)}</td>""");
            html.Append($"""<td>{E(e.StepId)}{(e.Attempt is { } n ? $" #{n}" : "")}</td><td>{(e.DataJson is null ? "" : $"<pre>{E(Core.Reporting.TextExcerpt.Truncate(Pretty(e.DataJson), 4000))}</pre>")}</td></tr>""");
        }
        html.Append("</tbody></table></details>");
    }

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, Indented))
                document.RootElement.WriteTo(writer);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The kind of conversation as its adapter named it (both adapters keep it under this address part).</summary>
    private static string? KindOf(Core.Intake.ConversationKey conversation) => conversation.AddressPart("conversationType");
}
