using System.Numerics;

namespace BotAgent.Benchmarks.Load;

/// <summary>
/// Latencies in microseconds, log-linear buckets (exact below 256 µs, then 128 buckets per power of two:
/// under 0.8 % error), thread-safe to record into and mergeable. Like HdrHistogram, without the package.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 256;
    private const int SubBuckets = 128;
    private readonly long[] _counts = new long[Linear + (64 * SubBuckets)];
    private long _count;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    public double MaxMs => Interlocked.Read(ref _max) / 1000.0;

    public void RecordTicks(long stopwatchTicks) =>
        Record(stopwatchTicks * 1_000_000 / System.Diagnostics.Stopwatch.Frequency);

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[Index(value)]);
        Interlocked.Increment(ref _count);
        long seen;
        while (value > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, seen) != seen)
        {
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        _count += other._count;
        _max = Math.Max(_max, other._max);
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0.5, 0.99, …) in milliseconds; NaN when empty.</summary>
    public double PercentileMs(double q)
    {
        var total = Count;
        if (total == 0)
            return double.NaN;
        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(1, rank))
                return Math.Min(Middle(i), Interlocked.Read(ref _max)) / 1000.0;
        }
        return MaxMs;
    }

    private static int Index(long value)
    {
        if (value < Linear)
            return (int)value;
        var shift = (63 - BitOperations.LeadingZeroCount((ulong)value)) - 7;
        var mantissa = (int)(value >> shift);
        return Linear + ((shift - 1) * SubBuckets) + (mantissa - SubBuckets);
    }

    private static long Middle(int index)
    {
        if (index < Linear)
            return index;
        var shift = ((index - Linear) / SubBuckets) + 1;
        var mantissa = ((index - Linear) % SubBuckets) + SubBuckets;
        var low = (long)mantissa << shift;
        return low + ((1L << shift) / 2);
    }
}
