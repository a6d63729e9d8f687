using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Traces.Pages;
using RazorSlices;

namespace BotAgent.Traces;

/// <summary><c>/runs</c>: recent runs, newest first, filtered by status and goal text, a page at a time (Pages/RunList.cshtml).</summary>
internal static class RunListPage
{
    /// <param name="page">1-based.</param>
    /// <param name="dashboard">Null past the first page.</param>
    public static RazorSlice Create(IReadOnlyList<Run> runs, RunCount count, RunQuery query, int page, string basePath, TraceRedactor redactor, DashboardModel? dashboard, int days)
    {
        var rows = runs.Select(run => new RunListRow(
            run,
            Core.Reporting.TextExcerpt.Truncate(redactor.Text(run.Goal)!.ReplaceLineEndings(" "), 140),
            RunVerdicts.Of(run),
            (run.Status.IsFinished() ? run.UpdatedAt : (DateTimeOffset?)null) - run.CreatedAt)).ToList();
        var total = count.Total;
        var pages = Math.Max(1, (total + query.Limit - 1) / query.Limit);
        var pager = new RunListPager(
            page, pages, total == 0 ? 0 : query.Offset + 1, Math.Min(total, query.Offset + query.Limit), count,
            page > 1 ? Link(query, page - 1, basePath, days) : null,
            page < pages || count.More ? Link(query, page + 1, basePath, days) : null);
        return RunList.Create(new RunListModel(rows, count, query, pager, basePath, dashboard, days, Link(query, 1, basePath, days)));
    }

    /// <summary>The list's filters as the dashboard's period links carry them along: <c>&amp;status=failed&amp;q=x</c>, or "".</summary>
    public static string Filters(RunQuery query)
    {
        var parameters = new List<string>();
        if (query.Status is { } status)
            parameters.Add("status=" + status.ToWire());
        if (!string.IsNullOrEmpty(query.Text))
            parameters.Add("q=" + Uri.EscapeDataString(query.Text));
        return string.Concat(parameters.Select(p => "&" + p));
    }

    /// <summary>The address of page <paramref name="page"/> of the list, with its filters and period.</summary>
    public static string Link(RunQuery query, int page, string basePath, int days)
    {
        var period = days == DashboardPeriod.DefaultDays ? "" : $"&days={days}";
        return $"{basePath}/runs?{(Filters(query) + period + "&page=" + page)[1..]}";
    }
}
