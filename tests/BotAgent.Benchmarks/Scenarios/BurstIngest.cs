using System.Diagnostics;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Targets;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Scenarios;

/// <param name="Backlog">Activities answered 200 but not yet handled when the burst ended.</param>
/// <param name="Drain">From the end of the burst until every burst activity's reply reached the channel (null: not within the bound).</param>
internal sealed record BurstRow(LoadResult Load, Usage Usage, long Backlog, TimeSpan? Drain, long Answered, long Replied, long Stored);

/// <summary>
/// Burst ingest: a new bot, warmed up and idle, takes a burst of <c>help</c> messages on 64 connections. Its
/// durable 200s per second are the measure; the handling may lag (the bot steps back while activities arrive at
/// burst rate), so the backlog when the burst ends and the time to answer all of it are reported, then the bot is
/// killed with SIGKILL and its inbox counted: nothing answered 200 may be missing.
/// </summary>
internal static class BurstIngest
{
    private const int Capacity = 400_000;
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(120);

    public static async Task<BurstRow> MeasureAsync(Bench bench)
    {
        await using var started = await bench.StartBotAsync();
        var target = started.Process;
        // Warm (the JIT, the pools), then let the warm-up's own backlog drain: the burst starts on an idle bot.
        var warmTag = bench.NewTag();
        var warmLog = bench.Channel.Track(warmTag, Capacity);
        var warm = await LoadGenerator.ClosedAsync(target.Endpoint, bench.Payloads.Message(target.MessagesUri, warmTag, "help"),
            bench.Options.Connections, long.MaxValue, bench.Options.Warmup, null, CancellationToken.None);
        await warmLog.WaitAsync(l => l.Replies >= warm.Ok, DrainBound, CancellationToken.None);
        bench.Channel.Forget(warmLog);

        var tag = bench.NewTag();
        var log = bench.Channel.Track(tag, Capacity);
        var watch = ProcessWatch.Start(target.Pid);
        var load = await LoadGenerator.ClosedAsync(target.Endpoint, bench.Payloads.Message(target.MessagesUri, tag, "help"),
            bench.Options.Connections, Capacity, bench.Options.IngestDuration, null, CancellationToken.None);
        var ended = Stopwatch.GetTimestamp();
        var backlog = await CountAsync(started.Database!, tag, "status IN ('pending', 'processing')");
        var drained = await log.WaitAsync(l => l.Replies >= load.Ok, DrainBound, CancellationToken.None);
        var drain = drained ? Stopwatch.GetElapsedTime(ended) : (TimeSpan?)null;
        var usage = await watch.StopAsync();
        await watch.DisposeAsync();
        bench.Channel.Forget(log);

        await target.KillAsync();
        var stored = await CountAsync(started.Database!, tag, "1 = 1");
        return new BurstRow(load, usage, backlog, drain, load.Ok, log.Replies, stored);
    }

    /// <param name="condition">A constant of ours, never outside input.</param>
    private static async Task<long> CountAsync(string database, string tag, string condition)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM inbox WHERE dedupe_key LIKE @prefix AND {condition}", new { prefix = $"emulator:{Payloads.ConversationOf(tag)}%" });
    }
}
