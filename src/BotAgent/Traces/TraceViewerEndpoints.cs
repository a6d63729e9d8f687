using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Core.Traces.Statistics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using BotAgent.Traces.Pages;

namespace BotAgent.Traces;

/// <summary>
/// The trace viewer: <c>/runs</c> (the list, and on its first page the dashboard over a period of days), <c>/runs/{id}</c> (one run as a timeline) and
/// <c>/runs/{id}.json</c> (its whole ledger). Server-rendered, no script; who may look is <see cref="TraceViewerAccess"/>'s call.
/// </summary>
public static class TraceViewerEndpoints
{
    private const int MaxFilterText = 200;
    private const int CountedPages = 10;
    // Keeps the offset and the count's limit inside an int at the largest page size (500).
    private const int MaxPage = 100_000;

    public static IEndpointRouteBuilder MapTraceViewer(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TraceViewerOptions>>().Value;
        if (!options.Enabled)
            return endpoints;
        var group = endpoints.MapGroup("/runs").ExcludeFromDescription();
        group.MapGet("", ListAsync).AddEndpointFilter(new TraceViewerGuard(isPage: true));
        group.MapGet("/{id}.json", JsonAsync).AddEndpointFilter(new TraceViewerGuard(isPage: false));
        group.MapGet("/{id}", PageAsync).AddEndpointFilter(new TraceViewerGuard(isPage: true));
        if (options.Entra.IsEnabled)
        {
            // Literal segments win over /runs/{id}. Not guarded: anyone may end their own session.
            // HttpRequest, not HttpContext: a lambda of HttpContext returning a Task would bind as a RequestDelegate, its page dropped.
            group.MapGet("/sign-out", (HttpRequest request) => Inert(request.HttpContext, SignInPages.SignOutAsync(request.PathBase)));
            group.MapPost("/sign-out", async (HttpContext http) =>
            {
                await http.SignOutAsync(TraceAuthentication.CookieScheme);
                return await Inert(http, SignInPages.SignedOutAsync(http.Request.PathBase));
            });
        }
        return endpoints;
    }

    private static Task<IResult> Inert(HttpContext http, Task<IResult> page)
    {
        TraceViewerGuard.AddPageHeaders(http.Response);
        return page;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, IRunQueries runs, IRunStatistics statistics, TraceRedactor redactor, IOptions<TraceViewerOptions> options, TimeProvider time,
        string? status, string? q, int? page, string? days, CancellationToken cancellationToken)
    {
        if (DashboardPeriod.Parse(days, time.GetUtcNow(), out var periodError) is not { } period)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown period", detail: periodError);
        RunStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            var known = Enum.GetValues<RunStatus>().Where(s => s.ToWire() == status).ToList();
            if (known.Count == 1)
                wanted = known[0];
            else
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown status",
                    detail: $"status must be one of {string.Join(", ", Enum.GetValues<RunStatus>().Select(s => s.ToWire()))}.");
        }
        if (q?.Length > MaxFilterText)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Filter text too long", detail: $"q may have at most {MaxFilterText} characters.");

        if (page > MaxPage)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Page number too large", detail: $"page may be at most {MaxPage:N0}.");

        var size = options.Value.PageSize;
        var number = Math.Max(1, page ?? 1);
        var query = new RunQuery(wanted, string.IsNullOrWhiteSpace(q) ? null : q.Trim(), Offset: (number - 1) * size, Limit: size);
        // Counted from this page on, ten pages at most: past that the page says "500+" (on the first page, at 50 a page)
        // instead of reading every match (a count of 200,000 runs, or of a goal-text filter over them, cost far more
        // than the page itself). One more than the ten pages says whether there are more.
        var atMost = query.Offset + CountedPages * size + 1;
        var counted = await runs.CountRunsAsync(query, atMost, cancellationToken);
        var count = new RunCount(Math.Min(counted, atMost - 1), More: counted == atMost);
        var found = await runs.ListRunsAsync(query, cancellationToken);
        // Past the last page (an old link, a typed number): to the last page there is, not an empty one that says
        // "page 100 of 13".
        if (found.Count == 0 && number > 1)
            return Results.Redirect(RunListPage.Link(query, Math.Max(1, (count.Total + size - 1) / size), http.Request.PathBase, period.Days));
        // The dashboard's aggregations scan the whole period, so only the first page pays for them, not every pager click.
        var dashboard = number == 1 ? await period.ReadAsync(statistics, http.Request.PathBase, RunListPage.Filters(query), cancellationToken) : null;
        var list = RunListPage.Create(found, count, query, number, http.Request.PathBase, redactor, dashboard, period.Days);
        return await HtmlPage.ResultAsync("Runs", list, viewer: SignInPages.Viewer(http));
    }

    private static async Task<IResult> PageAsync(HttpContext http, string id, RunLedgerReader reader, TraceRedactor redactor, CancellationToken cancellationToken)
    {
        var ledger = await reader.ReadAsync(id, cancellationToken);
        if (ledger is null)
            return await HtmlPage.ResultAsync("Unknown run", UnknownRunPage.Create(new UnknownRun(http.Request.PathBase, id)), StatusCodes.Status404NotFound);
        var redacted = redactor.Ledger(ledger);
        var title = Core.Reporting.TextExcerpt.Truncate(redacted.Run.Goal.ReplaceLineEndings(" "), 80);
        return await HtmlPage.ResultAsync(title, RunPage.Create(redacted, http.Request.PathBase), viewer: SignInPages.Viewer(http));
    }

    private static async Task<IResult> JsonAsync(string id, RunLedgerReader reader, TraceRedactor redactor, CancellationToken cancellationToken)
    {
        var ledger = await reader.ReadAsync(id, cancellationToken);
        if (ledger is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown run", detail: $"There is no run '{id}'.");
        return Results.Json(RunLedgerDocument.From(redactor.Ledger(ledger)), TraceJsonContext.Default.RunLedgerDocument);
    }
}
