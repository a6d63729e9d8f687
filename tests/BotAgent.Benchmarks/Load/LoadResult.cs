namespace BotAgent.Benchmarks.Load;

/// <summary>What one load run did: requests answered 2xx, the rest, how long it took, the latencies.</summary>
internal sealed record LoadResult(long Ok, long Errors, TimeSpan Elapsed, LatencyHistogram Latency, string? FirstError)
{
    public double OkPerSecond => Elapsed > TimeSpan.Zero ? Ok / Elapsed.TotalSeconds : 0;
}
