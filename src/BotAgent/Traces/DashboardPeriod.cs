using System.Globalization;
using BotAgent.Core.Traces.Statistics;
using BotAgent.Traces.Pages;

namespace BotAgent.Traces;

/// <summary>
/// The dashboard's period from <c>?days=</c>: whole UTC days ending today, 30 unless asked, at most
/// <see cref="MaxDays"/> so that the dashboard's queries stay bounded.
/// </summary>
internal sealed record DashboardPeriod(int Days, DateOnly First)
{
    public const int DefaultDays = 30, MaxDays = 90;

    public DateOnly Last => First.AddDays(Days - 1);

    /// <summary>The period, or null with <paramref name="error"/> saying what <c>days</c> may be.</summary>
    public static DashboardPeriod? Parse(string? days, DateTimeOffset now, out string? error)
    {
        error = null;
        var count = DefaultDays;
        if (!string.IsNullOrEmpty(days) && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxDays))
        {
            error = $"days must be a whole number of days from 1 to {MaxDays} (the page offers {string.Join(", ", DashboardChart.Periods)}); it was '{Excerpt(days)}'.";
            return null;
        }
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new DashboardPeriod(count, today.AddDays(1 - count));
    }

    public async Task<DashboardModel> ReadAsync(IRunStatistics statistics, string basePath, string? listQuery, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(First.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var found = await statistics.ReadAsync(from, from.AddDays(Days), cancellationToken);
        return DashboardChart.Create(RunDashboard.Create(found, First, Days), Days, basePath, listQuery);
    }

    private static string Excerpt(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
