using BotAgent.Core.Runs;
using BotAgent.Core.Traces;

namespace BotAgent.Traces.Pages;

/// <param name="Dashboard">Only on the first page: the charts' queries cost more than the list's, so paging does not repeat them.</param>
/// <param name="Days">The dashboard's period, carried along by the filters and the pager.</param>
/// <param name="ChartsLink">Where the charts are, on the pages without them.</param>
public sealed record RunListModel(
    IReadOnlyList<RunListRow> Rows, RunCount Count, RunQuery Query, RunListPager Pager, string BasePath, DashboardModel? Dashboard, int Days, string ChartsLink);

/// <param name="Goal">Redacted and shortened.</param>
/// <param name="Duration">Null while the run is open.</param>
public sealed record RunListRow(Run Run, string Goal, RunVerdict Verdict, TimeSpan? Duration);

/// <summary>How many runs match: <see cref="Total"/>, or with <see cref="More"/> more than that (counting stopped there).</summary>
public readonly record struct RunCount(int Total, bool More)
{
    public override string ToString() => Total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + (More ? "+" : "");
}

/// <param name="Newer">The previous page's address; null on the first.</param>
/// <param name="Older">The next page's address; null on the last.</param>
/// <param name="Pages">As far as the count went: with <see cref="RunCount.More"/> there are more.</param>
public sealed record RunListPager(int Page, int Pages, int First, int Last, RunCount Count, string? Newer, string? Older);
