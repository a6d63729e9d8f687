using System.Globalization;
using BotAgent.Benchmarks.Report;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (4) Trace-event writes: the bot's trace sink (its <c>TraceStore</c> composed as the host composes it)
/// called from 64 tasks at once, against raw Microsoft.Data.Sqlite + Dapper inserts into the same table
/// of the same migrated schema, one row per transaction and 100 rows per transaction. Each measurement
/// is its own process on a new file.
/// </summary>
internal static class TraceWriteScenario
{
    private static readonly (string Mode, string Name)[] Modes =
    [
        ("raw-single", "raw: 1 row per transaction (1 connection)"),
        ("raw-batch", "raw: 100 rows per transaction (1 connection)"),
        ("trace", "BotAgent trace sink, 64 concurrent writers"),
    ];

    public static async Task RunAsync(Bench bench)
    {
        var results = Modes.ToDictionary(m => m.Mode, _ => new List<Measured>());
        for (var round = 0; round < bench.Options.Rounds; round++)
        {
            foreach (var (mode, _) in Modes)
            {
                var measured = await MeasureAsync(bench, mode);
                results[mode].Add(measured);
                bench.Log($"sqlite {mode}: {measured.RowsPerSecond:N0} rows/s, p99 {measured.P99:F2} ms, {measured.Usage.Cores:F2} cores");
            }
        }

        var batch = Stats.Median([.. results["raw-batch"].Select(r => r.RowsPerSecond)]);
        var table = new MarkdownTable("Writer", "Rows/s", "Write p50 / p95 / p99 (ms)", "CPU (cores)", "Peak RSS (MB)", "vs raw batched");
        foreach (var (mode, name) in Modes)
        {
            var rows = results[mode];
            var rate = Stats.Median([.. rows.Select(r => r.RowsPerSecond)]);
            table.Add(name, Stats.Range([.. rows.Select(r => r.RowsPerSecond)]),
                $"{Stats.Format(Stats.Median([.. rows.Select(r => r.P50)]), "N2")} / {Stats.Format(Stats.Median([.. rows.Select(r => r.P95)]), "N2")} / {Stats.Format(Stats.Median([.. rows.Select(r => r.P99)]), "N2")}",
                Stats.Range([.. rows.Select(r => r.Usage.Cores)], "N2"), Stats.Range([.. rows.Select(r => r.Usage.PeakRssMb)], "N0"),
                Stats.Ratio(rate / batch));
        }
        var trace = Stats.Median([.. results["trace"].Select(r => r.RowsPerSecond)]);
        bench.Report.Check(4, "Trace-event writes ≥ 0.5 × raw batched WAL inserts", $"{Stats.Format(trace)} vs {Stats.Format(batch)} rows/s = {Stats.Ratio(trace / batch)}", "≥ 0.50×", trace / batch >= 0.5);
        bench.Report.Section("(4) Trace-event writes",
            $"""
            Rows into `execution_events`/`planning_events` of a newly migrated SQLite file (WAL, synchronous=NORMAL), {bench.Options.SqliteDuration.TotalSeconds:0} s
            per measurement, {bench.Options.Rounds} rounds. The raw rows are Microsoft.Data.Sqlite + Dapper on one open connection (the
            reference the issue gives: 10,000–14,000 single-row transactions/s, 20,000–28,000 rows/s in batches of 100); the
            trace sink is `TraceStore.PlanningAsync`/`ExecutionAsync` as the executor calls them, 64 tasks at once. The
            sink's calls return before their commit (an event is durable with the next write queued after it; README,
            "When things go wrong"), so its rate counts events until the last one is committed, and its latency is the
            call's. Latency is per transaction (raw) or per call (trace sink).

            {table}
            """);
    }

    private static async Task<Measured> MeasureAsync(Bench bench, string mode)
    {
        var database = bench.NewDatabase();
        var log = Path.Combine(bench.WorkDirectory, $"sqlite-{mode}-{Path.GetFileNameWithoutExtension(database)}.log");
        string[] arguments =
        [
            typeof(Bench).Assembly.Location, "sqlite", mode, "--db", database,
            "--seconds", bench.Options.SqliteDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--tasks", "64",
        ];
        await using var process = TargetProcess.Start("sqlite-" + mode, "dotnet", arguments, 0, log);
        await process.WaitForExitAsync(bench.Options.SqliteDuration + TimeSpan.FromSeconds(60));
        var line = File.ReadLines(log).LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"sqlite {mode} printed no result:\n{process.LogTail()}");
        var fields = line[7..].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
        // The process measures its own CPU over the measured window and its peak RSS (VmHWM) over its life.
        return new Measured(fields["rows"] / fields["seconds"], fields["p50"], fields["p95"], fields["p99"], new Usage(fields["cores"], fields["peakMb"], 0, TimeSpan.Zero));
    }

    private sealed record Measured(double RowsPerSecond, double P50, double P95, double P99, Usage Usage);
}
