namespace BotAgent.Core.Traces.Statistics;

/// <summary>
/// Counts over a stretch of time for the runs dashboard, read from the store in a few bounded queries; days are UTC
/// days (<c>yyyy-MM-dd</c>). <see cref="RunDashboard"/> turns them into what the page draws.
/// </summary>
public interface IRunStatistics
{
    /// <summary>What happened from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive).</summary>
    Task<RunStatistics> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
