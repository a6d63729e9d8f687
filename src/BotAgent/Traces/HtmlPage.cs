using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BotAgent.Core.Execution;
using BotAgent.Core.Traces;

namespace BotAgent.Traces;

/// <summary>
/// The trace pages' shell and shared pieces: one HTML document, inline CSS, no script (the pages are sent with
/// a policy that forbids any). Everything that came from the store goes through <see cref="E"/>.
/// </summary>
internal static class HtmlPage
{
    // Every Unicode range allowed through as-is (goals in any language stay readable in the source); markup
    // characters and quotes are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public const string SecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>HTML-encodes text for an element or a double-quoted attribute.</summary>
    public static string E(string? text) => string.IsNullOrEmpty(text) ? "" : Encoder.Encode(text);

    public static IResult Result(string title, string body, int statusCode = 200) =>
        Results.Content(Document(title, body), "text/html; charset=utf-8", Encoding.UTF8, statusCode);

    public static string Document(string title, string body) => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{E(title)} · BotAgent</title>
        <style>{Css}</style>
        </head>
        <body>
        <header class="top"><span class="brand">BotAgent</span> <span class="sub">traces</span></header>
        <main>
        {body}
        </main>
        </body>
        </html>
        """;

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    public static string ShortTime(DateTimeOffset at) => at.UtcDateTime.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        return span.TotalSeconds switch
        {
            < 1 => $"{span.TotalMilliseconds:0} ms",
            < 60 => $"{span.TotalSeconds:0.0} s",
            < 3600 => $"{(int)span.TotalMinutes} min {span.Seconds} s",
            < 86400 => $"{(int)span.TotalHours} h {span.Minutes} min",
            _ => $"{(int)span.TotalDays} d {span.Hours} h",
        };
    }

    /// <summary>The verdict as a CSS class and data value: <c>execution-failure</c>.</summary>
    public static string Slug(RunVerdict verdict) => verdict.Describe().Replace(' ', '-');

    public static string StateSlug(StepState state) => state.ToWire().Replace('_', '-');

    private const string Css = """
        :root { --ok: #2e7d32; --fail: #c62828; --timeout: #ef6c00; --cancel: #9e9e9e; --unknown: #7b1fa2; --run: #1565c0;
                --model: #3949ab; --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --bg: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        header.top { background: #24292f; color: #fff; padding: 10px 24px; font-size: 15px; }
        header.top .brand { font-weight: 700; } header.top .sub { color: #c9d1d9; }
        main { padding: 16px 24px 48px; max-width: 1320px; }
        h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 0 0 6px; }
        a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
        th { background: var(--bg); font-weight: 600; white-space: nowrap; }
        pre { margin: 0; padding: 6px 8px; background: var(--bg); border-radius: 4px; white-space: pre-wrap; word-break: break-word; max-height: 320px; overflow: auto; font-size: 12px; }
        pre.error { background: #fff0f0; color: #82071e; }
        .muted { color: var(--muted); } .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #eaeef2; white-space: nowrap; }
        .badge.succeeded { background: #dafbe1; color: #116329; } .badge.failed, .badge.policy-denied, .badge.rejected { background: #ffebe9; color: #a40e26; }
        .badge.timed-out, .badge.expired { background: #fff1e5; color: #953800; } .badge.outcome-unknown, .badge.awaiting-decision { background: #fbefff; color: #6e40c9; }
        .badge.running, .badge.approved, .badge.awaiting-approval, .badge.planning { background: #ddf4ff; color: #0550ae; }
        .verdict { font-size: 16px; padding: 10px 14px; border-radius: 6px; border-left: 6px solid var(--muted); background: var(--bg); margin: 12px 0; }
        .verdict.succeeded { border-color: var(--ok); background: #f0fff4; }
        .verdict.execution-failure, .verdict.planning-failure { border-color: var(--fail); background: #fff5f5; }
        .verdict.policy-refusal, .verdict.human-rejection, .verdict.expired { border-color: var(--timeout); background: #fff8f0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
        dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
        form.filters { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 12px 0; }
        form.filters input[type=text] { width: 280px; } input, select, button { font: inherit; padding: 4px 8px; }
        .pager { display: flex; gap: 16px; align-items: center; margin: 12px 0; }
        .chart { border: 1px solid var(--line); border-radius: 6px; background: #fff; overflow-x: auto; }
        svg.lanes { display: block; width: 100%; min-width: 900px; height: auto; font: 11px system-ui, sans-serif; }
        svg .lane-bg { fill: var(--bg); stroke: var(--line); } svg .lane-label { font-weight: 700; font-size: 12px; fill: var(--ink); }
        svg .row-label { fill: var(--muted); text-anchor: end; } svg .tick line { stroke: #e1e4e8; } svg .tick text { fill: var(--muted); }
        svg .event circle, svg .event path { fill: #57606a; stroke: #fff; stroke-width: 1; } svg .event text { fill: var(--ink); }
        svg .event.plan-version circle { fill: var(--model); } svg .event.failure circle, svg .event.failure path { fill: var(--fail); }
        svg .model-call rect { fill: var(--model); } svg .model-call.error rect { fill: var(--fail); } svg .model-call text { fill: #fff; }
        svg .attempt rect { stroke: rgba(0,0,0,.25); } svg .attempt text { fill: var(--ink); }
        svg .state-succeeded rect { fill: var(--ok); } svg .state-failed rect { fill: var(--fail); } svg .state-timed-out rect { fill: var(--timeout); }
        svg .state-cancelled rect { fill: var(--cancel); } svg .state-outcome-unknown rect { fill: var(--unknown); } svg .state-running rect { fill: var(--run); }
        svg .marker line { stroke-width: 2; stroke-dasharray: 5 3; } svg .marker text { font-weight: 600; }
        svg .marker.approval line { stroke: var(--ok); } svg .marker.approval path { fill: var(--ok); } svg .marker.approval text { fill: var(--ok); }
        svg .marker.rejection line { stroke: var(--fail); } svg .marker.rejection path { fill: var(--fail); } svg .marker.rejection text { fill: var(--fail); }
        svg .marker.request line { stroke: #8c959f; stroke-width: 1; } svg .marker.request text { fill: var(--muted); font-weight: 400; }
        svg .gap rect { fill: url(#gap-hatch); } svg .gap text { fill: var(--muted); text-anchor: middle; }
        .legend { display: flex; flex-wrap: wrap; gap: 14px; padding: 8px 12px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); }
        .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -2px; margin-right: 4px; }
        .plans { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 12px; }
        .plan { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
        .plan.current { border-color: #54aeff; box-shadow: 0 0 0 1px #54aeff inset; }
        .plan tr.added td { background: #e6ffec; } .plan tr.changed td { background: #fff8c5; }
        .plan-diff { margin: 8px 0; padding: 6px 10px; background: #fffbe6; border: 1px solid #eed888; border-radius: 4px; }
        .plan-diff ul { margin: 4px 0 0; padding-left: 18px; } .plan-diff li.added { color: #116329; } .plan-diff li.removed { color: #a40e26; }
        tr.attempt.retry td:first-child { border-left: 3px solid var(--timeout); }
        details summary { cursor: pointer; color: #0969da; }
        """;
}
