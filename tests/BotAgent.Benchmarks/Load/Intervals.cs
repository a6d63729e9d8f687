using System.Diagnostics;

namespace BotAgent.Benchmarks.Load;

/// <summary>Latencies between two sets of Stopwatch timestamps taken for the same indexes.</summary>
internal static class Intervals
{
    public static LatencyHistogram Between(long[] from, long[] to, int count)
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < count; i++)
        {
            if (from[i] != 0 && to[i] != 0)
                histogram.RecordTicks(to[i] - from[i]);
        }
        return histogram;
    }

    /// <summary>Events per second from the first <paramref name="from"/> to the last <paramref name="to"/>.</summary>
    public static double Rate(long[] from, long[] to, int count)
    {
        var first = from.Take(count).Where(t => t != 0).DefaultIfEmpty().Min();
        var last = to.Take(count).Max();
        var done = to.Take(count).Count(t => t != 0);
        return done == 0 || last <= first ? 0 : done / ((last - first) / (double)Stopwatch.Frequency);
    }
}
