using System.Text;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using static BotAgent.Traces.HtmlPage;

namespace BotAgent.Traces;

/// <summary><c>/runs</c>: recent runs, newest first, filtered by status and goal text, a page at a time.</summary>
internal static class RunListPage
{
    /// <param name="page">1-based.</param>
    public static string Render(IReadOnlyList<Run> runs, int total, RunQuery query, int page, string basePath, TraceRedactor redactor)
    {
        var html = new StringBuilder();
        html.Append($"""<h1>Runs <span class="muted" id="total" data-total="{total}">({total})</span></h1>""");
        Filters(html, query, basePath);
        if (runs.Count == 0)
        {
            html.Append("""<p class="muted" id="no-runs">No runs match.</p>""");
        }
        else
        {
            html.Append("""<table id="runs"><thead><tr><th>Goal</th><th>Requested by</th><th>Conversation</th><th>Status</th><th>Verdict</th><th>Risk</th><th>Created</th><th>Duration</th></tr></thead><tbody>""");
            foreach (var run in runs)
                Row(html, run, basePath, redactor);
            html.Append("</tbody></table>");
        }
        Pager(html, query, page, total, basePath);
        return html.ToString();
    }

    private static void Filters(StringBuilder html, RunQuery query, string basePath)
    {
        html.Append($"""<form class="filters" id="filters" method="get" action="{E(basePath)}/runs"><label>Status <select name="status"><option value="">any</option>""");
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            var wire = status.ToWire();
            html.Append($"""<option value="{wire}"{(query.Status == status ? " selected" : "")}>{wire.Replace('_', ' ')}</option>""");
        }
        html.Append($"""</select></label><label>Goal contains <input type="text" name="q" value="{E(query.Text)}"></label><button type="submit">Filter</button>""");
        if (query.Status is not null || !string.IsNullOrEmpty(query.Text))
            html.Append($"""<a href="{E(basePath)}/runs">clear</a>""");
        html.Append("</form>");
    }

    private static void Row(StringBuilder html, Run run, string basePath, TraceRedactor redactor)
    {
        var verdict = RunVerdicts.Of(run);
        var duration = (run.Status.IsFinished() ? run.UpdatedAt : (DateTimeOffset?)null) - run.CreatedAt;
        var goal = Core.Reporting.TextExcerpt.Truncate(redactor.Text(run.Goal)!.ReplaceLineEndings(" "), 140);
        html.Append($"""<tr class="run" data-run-id="{E(run.Id)}" data-status="{run.Status.ToWire()}">""");
        html.Append($"""<td><a href="{E(basePath)}/runs/{E(Uri.EscapeDataString(run.Id))}">{E(goal)}</a><br><span class="muted mono">{E(run.Id)}</span></td>""");
        html.Append($"""<td>{E(run.Requester.Name)}</td><td>{E(run.Conversation.ChannelId)} · <span class="mono">{E(Core.Reporting.TextExcerpt.Truncate(run.Conversation.ConversationId, 40))}</span></td>""");
        html.Append($"""<td><span class="badge {run.Status.ToWire().Replace('_', '-')}">{run.Status.ToWire()}</span></td><td class="verdict-cell {Slug(verdict)}">{E(verdict.Describe())}</td>""");
        html.Append($"""<td>{E(run.RiskLevel?.ToWire() ?? "—")}</td><td class="muted">{E(ShortTime(run.CreatedAt))}</td><td>{(duration is { } d ? E(Duration(d)) : "<span class=\"muted\">open</span>")}</td></tr>""");
    }

    private static void Pager(StringBuilder html, RunQuery query, int page, int total, string basePath)
    {
        var pages = Math.Max(1, (total + query.Limit - 1) / query.Limit);
        var first = total == 0 ? 0 : query.Offset + 1;
        var last = Math.Min(total, query.Offset + query.Limit);
        html.Append($"""<nav class="pager" id="pager" data-page="{page}" data-pages="{pages}"><span class="muted">{first}–{last} of {total} · page {page} of {pages}</span>""");
        if (page > 1)
            html.Append($"""<a rel="prev" href="{E(Link(query, page - 1, basePath))}">‹ Newer</a>""");
        if (page < pages)
            html.Append($"""<a rel="next" href="{E(Link(query, page + 1, basePath))}">Older ›</a>""");
        html.Append("</nav>");
    }

    private static string Link(RunQuery query, int page, string basePath)
    {
        var parameters = new List<string>();
        if (query.Status is { } status)
            parameters.Add("status=" + status.ToWire());
        if (!string.IsNullOrEmpty(query.Text))
            parameters.Add("q=" + Uri.EscapeDataString(query.Text));
        parameters.Add("page=" + page);
        return $"{basePath}/runs?{string.Join('&', parameters)}";
    }
}
