using BotAgent.Benchmarks.Report;

namespace BotAgent.Benchmarks.Scenarios;

internal sealed class IngestResults
{
    public Dictionary<string, List<IngestRow>> Rows { get; } = [];

    public void Add(string target, IngestRow row)
    {
        if (!Rows.TryGetValue(target, out var rows))
            Rows[target] = rows = [];
        rows.Add(row);
    }

    public double MedianRate(string target) =>
        Rows.TryGetValue(target, out var rows) ? Stats.Median([.. rows.Select(r => r.Load.OkPerSecond)]) : double.NaN;

    /// <summary>Median over rounds of each round's p50, p95 and p99.</summary>
    public string Percentiles(string target)
    {
        var rows = Rows[target];
        return string.Join(" / ", new[] { 0.5, 0.95, 0.99 }.Select(q => Stats.Format(Stats.Median([.. rows.Select(r => r.Load.Latency.PercentileMs(q))]), "N1")));
    }
}
