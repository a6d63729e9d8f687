namespace BotAgent.Core.Traces.Statistics;

/// <summary>How long plan cards waited for their decision, over a day or the whole period.</summary>
/// <param name="P50">Null when nothing was decided.</param>
public sealed record WaitSummary(int Decisions, TimeSpan? P50, TimeSpan? P95)
{
    public static WaitSummary Of(IEnumerable<TimeSpan> waits)
    {
        var sorted = waits.Order().ToList();
        return new WaitSummary(sorted.Count, Percentile.Of(sorted, 50), Percentile.Of(sorted, 95));
    }
}
