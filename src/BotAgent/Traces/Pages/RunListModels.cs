using BotAgent.Core.Runs;
using BotAgent.Core.Traces;

namespace BotAgent.Traces.Pages;

public sealed record RunListModel(IReadOnlyList<RunListRow> Rows, int Total, RunQuery Query, RunListPager Pager, string BasePath, DashboardModel Dashboard);

/// <param name="Goal">Redacted and shortened.</param>
/// <param name="Duration">Null while the run is open.</param>
public sealed record RunListRow(Run Run, string Goal, RunVerdict Verdict, TimeSpan? Duration);

/// <param name="Newer">The previous page's address; null on the first.</param>
/// <param name="Older">The next page's address; null on the last.</param>
public sealed record RunListPager(int Page, int Pages, int First, int Last, int Total, string? Newer, string? Older);
