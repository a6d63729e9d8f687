namespace BotAgent.Core.Traces.Statistics;

/// <summary>Nearest-rank percentiles: always a value that was seen, so "p95 4 min" is some decision's real wait.</summary>
public static class Percentile
{
    /// <param name="sorted">Ascending.</param>
    /// <param name="percent">0 &lt; percent ≤ 100.</param>
    /// <returns>Null when there are no values.</returns>
    public static TimeSpan? Of(IReadOnlyList<TimeSpan> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 0)
            return null;
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
