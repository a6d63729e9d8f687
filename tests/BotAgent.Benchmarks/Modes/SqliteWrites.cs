using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BotAgent.Benchmarks.Load;
using BotAgent.Core.Traces;
using BotAgent.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Modes;

/// <summary>
/// Write rates into the bot's own schema (migrated by its own migrator), each mode in its own process:
/// <c>raw-single</c> (one row per transaction, one connection, Dapper), <c>raw-batch</c> (100 rows per
/// transaction) and <c>trace</c> (the bot's <see cref="ITraceSink"/>, composed as the host composes it,
/// called from many tasks at once as the executor and planner call it). Prints one result line.
/// </summary>
internal static class SqliteWrites
{
    private const string Insert = "INSERT INTO execution_events (run_id, type, at, step_id, attempt, data_json) VALUES (@runId, @type, @at, @stepId, @attempt, @data);";
    private const string Data = "{\"tool\":\"http.get\",\"args\":{\"url\":\"http://127.0.0.1:8080/health\"},\"risk\":\"read_only\"}";

    public static async Task<int> RunAsync(string mode, string databasePath, TimeSpan duration, int tasks)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={databasePath}" })
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddBotAgentStorage(configuration)
            .BuildServiceProvider();
        await using (services)
        {
            await services.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);
            var latency = new LatencyHistogram();
            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            var rows = mode switch
            {
                "raw-single" => RawRows(databasePath, 1, duration, latency),
                "raw-batch" => RawRows(databasePath, 100, duration, latency),
                "trace" => await TraceRowsAsync(services.GetRequiredService<ITraceSink>(), duration, tasks, latency),
                _ => throw new ArgumentException($"Unknown mode '{mode}'.", nameof(mode)),
            };
            // Counted when durable: the sink's calls return before their commit (events ride with the next write).
            await services.GetRequiredService<Database>().FlushAppendsAsync(CancellationToken.None);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds / seconds;
            var peakMb = Targets.ProcessStatus.Read(Environment.ProcessId).PeakRssMb;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT rows={rows} seconds={seconds:F3} p50={latency.PercentileMs(0.5):F3} p95={latency.PercentileMs(0.95):F3} p99={latency.PercentileMs(0.99):F3} cores={cores:F3} peakMb={peakMb:F1}"));
        }
        return 0;
    }

    /// <summary>The reference: one open connection, WAL, synchronous=NORMAL, <paramref name="batch"/> rows a transaction.</summary>
    private static long RawRows(string databasePath, int batch, TimeSpan duration, LatencyHistogram latency)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        connection.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        var rowsOfBatch = Enumerable.Range(0, batch).Select(i => new
        {
            runId = "run-raw",
            type = "attempt.finished",
            at = "2026-11-25T10:00:00.0000000+00:00",
            stepId = "s1",
            attempt = (int?)1,
            data = Data,
        }).ToArray();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long rows = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var started = Stopwatch.GetTimestamp();
            using (var transaction = connection.BeginTransaction())
            {
                connection.Execute(Insert, rowsOfBatch, transaction);
                transaction.Commit();
            }
            latency.RecordTicks(Stopwatch.GetTimestamp() - started);
            rows += batch;
        }
        return rows;
    }

    private static async Task<long> TraceRowsAsync(ITraceSink sink, TimeSpan duration, int tasks, LatencyHistogram latency)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long rows = 0;
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var runId = $"run-{t:D4}";
            for (var i = 0; Stopwatch.GetTimestamp() < deadline; i++)
            {
                var data = (JsonObject)JsonNode.Parse(Data)!;
                var started = Stopwatch.GetTimestamp();
                if (i % 4 == 0)
                    await sink.PlanningAsync(runId, "plan.proposed", data, CancellationToken.None);
                else
                    await sink.ExecutionAsync(runId, i % 2 == 0 ? "attempt.started" : "attempt.finished", "s1", 1, data, CancellationToken.None);
                latency.RecordTicks(Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref rows);
            }
        })));
        return rows;
    }
}
