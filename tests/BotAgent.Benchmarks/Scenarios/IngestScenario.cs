using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Report;
using BotAgent.Benchmarks.Targets;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (1) Ingest: the same message activity (<c>help</c>, one conversation per activity) posted as fast as
/// 64 connections allow to each target in turn, round after round. BotAgent accepts, de-duplicates and
/// stores each before its 200 (the reply is made in the background); it is killed (SIGKILL) straight
/// after each round and its inbox counted, so every 200 is shown to have been durable. The echo bots
/// answer 200 after their reply reached the test channel: their rate is the echo rate.
/// </summary>
internal static class IngestScenario
{
    public const string Bare = "bare Kestrel endpoint (parse JSON, 200)";
    public const string Bot = "BotAgent (accept + persist, 200)";
    public const string DotnetEcho = "minimal .NET echo bot (reply, then 200)";
    public const string JsEcho = "JS SDK echo bot (botbuilder 4.23, CloudAdapter)";
    private const int EchoCapacity = 400_000;

    public static async Task<IngestResults> RunAsync(Bench bench)
    {
        var results = new IngestResults();
        await using var bare = await bench.StartBareAsync(echo: false);
        await using var dotnetEcho = await bench.StartBareAsync(echo: true);
        await using var jsEcho = await bench.StartJsEchoAsync();
        var order = new[] { Bare, Bot, DotnetEcho, JsEcho };
        var bursts = new List<BurstRow>();
        for (var round = 0; round < bench.Options.Rounds; round++)
        {
            var burst = await BurstIngest.MeasureAsync(bench);
            bursts.Add(burst);
            bench.Log($"ingest burst: {burst.Load.OkPerSecond:N0}/s, p99 {burst.Load.Latency.PercentileMs(0.99):F1} ms, backlog {burst.Backlog:N0}, drained in {burst.Drain?.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "(not within the bound)"} s, {burst.Stored:N0} of {burst.Answered:N0} stored, {burst.Usage.Cores:F2} cores");
            // Rotate the order so a slow drift of the machine falls on every target alike.
            foreach (var name in order.Skip(round % order.Length).Concat(order.Take(round % order.Length)))
            {
                var row = name switch
                {
                    Bare => await MeasureAsync(bench, bare.Process, tracked: false),
                    DotnetEcho => await MeasureAsync(bench, dotnetEcho.Process, tracked: true),
                    JsEcho => await MeasureAsync(bench, jsEcho.Process, tracked: true),
                    _ => await MeasureBotAsync(bench),
                };
                results.Add(name, row);
                bench.Log($"ingest {name}: {row.Load.OkPerSecond:N0}/s, p99 {row.Load.Latency.PercentileMs(0.99):F1} ms, errors {row.Load.Errors}, {row.Usage.Cores:F2} cores, {row.Usage.PeakRssMb:F0} MB{(row.Note is null ? "" : ", " + row.Note)}");
            }
        }
        Report(bench, results, bursts);
        return results;
    }

    private static async Task<IngestRow> MeasureAsync(Bench bench, TargetProcess target, bool tracked)
    {
        var warm = bench.Payloads.Message(target.MessagesUri, bench.NewTag(), "help");
        await LoadGenerator.ClosedAsync(target.Endpoint, warm, bench.Options.Connections, long.MaxValue, bench.Options.Warmup, null, CancellationToken.None);

        var tag = bench.NewTag();
        var log = tracked ? bench.Channel.Track(tag, EchoCapacity) : null;
        var requests = bench.Payloads.Message(target.MessagesUri, tag, "help");
        var generator = ProcessWatch.Start(Environment.ProcessId);
        await using var watch = ProcessWatch.Start(target.Pid);
        var load = await LoadGenerator.ClosedAsync(target.Endpoint, requests, bench.Options.Connections, tracked ? EchoCapacity : long.MaxValue, bench.Options.IngestDuration, null, CancellationToken.None);
        var usage = await watch.StopAsync();
        var own = await generator.StopAsync();
        await generator.DisposeAsync();
        string? note = null;
        if (log is not null)
        {
            await log.WaitAsync(l => l.Replies >= load.Ok, TimeSpan.FromSeconds(10), CancellationToken.None);
            note = log.Replies >= load.Ok ? null : $"only {log.Replies} of {load.Ok} echoes reached the channel";
            bench.Channel.Forget(log);
        }
        return new IngestRow(load, usage, own, note, null);
    }

    /// <summary>A new bot per round: warmed up, measured, then killed at once and its inbox counted.</summary>
    private static async Task<IngestRow> MeasureBotAsync(Bench bench)
    {
        var started = await bench.StartBotAsync();
        var target = started.Process;
        var warmTag = bench.NewTag();
        var warm = await LoadGenerator.ClosedAsync(target.Endpoint, bench.Payloads.Message(target.MessagesUri, warmTag, "help"),
            bench.Options.Connections, long.MaxValue, bench.Options.Warmup, null, CancellationToken.None);

        var tag = bench.NewTag();
        var generator = ProcessWatch.Start(Environment.ProcessId);
        var watch = ProcessWatch.Start(target.Pid);
        var load = await LoadGenerator.ClosedAsync(target.Endpoint, bench.Payloads.Message(target.MessagesUri, tag, "help"),
            bench.Options.Connections, long.MaxValue, bench.Options.IngestDuration, null, CancellationToken.None);
        var usage = await watch.StopAsync();
        await watch.DisposeAsync();
        var own = await generator.StopAsync();
        await generator.DisposeAsync();
        await started.Process.KillAsync();

        var stored = await CountInboxAsync(started.Database!, warmTag) + await CountInboxAsync(started.Database!, tag);
        var answered = warm.Ok + load.Ok;
        await started.DisposeAsync();
        var note = stored >= answered ? null : $"{answered - stored} activities answered 200 but missing after SIGKILL";
        return new IngestRow(load, usage, own, note, (answered, stored));
    }

    private static async Task<long> CountInboxAsync(string database, string tag)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM inbox WHERE dedupe_key LIKE @prefix", new { prefix = $"emulator:{Payloads.ConversationOf(tag)}%" });
    }

    private static void Report(Bench bench, IngestResults results, List<BurstRow> bursts)
    {
        var table = new MarkdownTable("Target", "Requests/s", "p50 / p95 / p99 (ms)", "Errors", "CPU (cores)", "Peak RSS (MB)", "Suite CPU (generator + channel)", "vs bare");
        var bare = results.MedianRate(Bare);
        foreach (var (name, rows) in results.Rows)
        {
            table.Add(name, Stats.Range([.. rows.Select(r => r.Load.OkPerSecond)]), results.Percentiles(name),
                rows.Sum(r => r.Load.Errors).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Stats.Range([.. rows.Select(r => r.Usage.Cores)], "N2"), Stats.Range([.. rows.Select(r => r.Usage.PeakRssMb)]),
                Stats.Range([.. rows.Select(r => r.Generator.Cores)], "N2"), Stats.Ratio(results.MedianRate(name) / bare));
        }
        var bot = results.MedianRate(Bot);
        var durable = results.Rows[Bot].All(r => r.Durable is var (answered, stored) && stored >= answered);
        var answeredTotal = results.Rows[Bot].Sum(r => r.Durable?.Answered ?? 0);
        var storedTotal = results.Rows[Bot].Sum(r => r.Durable?.Stored ?? 0);
        var burst = Stats.Median([.. bursts.Select(b => b.Load.OkPerSecond)]);
        var burstKept = bursts.All(b => b.Stored >= b.Answered && b.Replied >= b.Answered);
        bench.Report.Check(1, "Burst ingest ≥ 0.4 × bare Kestrel, every 200 durable, the backlog handled after",
            $"{Stats.Format(burst)} vs {Stats.Format(bare)}/s = {Stats.Ratio(burst / bare)}; {bursts.Sum(b => b.Stored):N0} of {bursts.Sum(b => b.Answered):N0} in the inbox after SIGKILL, {bursts.Sum(b => b.Replied):N0} answered",
            "≥ 0.40×, all stored and answered", burst / bare >= 0.4 && burstKept);
        bench.Report.Check(1, "Ingest with the handling in the same round ≥ 0.2 × bare Kestrel, every 200 durable",
            $"{Stats.Format(bot)} vs {Stats.Format(bare)}/s = {Stats.Ratio(bot / bare)}; {storedTotal:N0} of {answeredTotal:N0} answered activities in the inbox after SIGKILL",
            "≥ 0.20×, all stored", bot / bare >= 0.2 && durable);
        var burstTable = new MarkdownTable("Round", "Durable 200s/s", "p50 / p95 / p99 (ms)", "vs bare", "Backlog at the end", "Drained in (s)", "In the inbox after SIGKILL", "Replies at the channel", "CPU (cores)");
        foreach (var (b, i) in bursts.Select((b, i) => (b, i)))
        {
            burstTable.Add((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Stats.Format(b.Load.OkPerSecond),
                string.Join(" / ", new[] { 0.5, 0.95, 0.99 }.Select(q => Stats.Format(b.Load.Latency.PercentileMs(q), "N1"))),
                Stats.Ratio(b.Load.OkPerSecond / bare), b.Backlog.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                b.Drain is { } d ? Stats.Format(d.TotalSeconds, "N1") : "not within 120 s",
                $"{b.Stored:N0} of {b.Answered:N0}", $"{b.Replied:N0}", Stats.Format(b.Usage.Cores, "N2"));
        }
        var notes = string.Join("\n", results.Rows.SelectMany(r => r.Value.Where(v => v.Note is not null).Select(v => $"- {r.Key}: {v.Note}")));
        bench.Report.Section("(1) Ingest",
            $"""
            The same message activity (`help`, a new conversation id each time, {bench.Options.Connections} keep-alive connections, closed
            loop) for {bench.Options.IngestDuration.TotalSeconds:0} s per target per round after a {bench.Options.Warmup.TotalSeconds:0} s warm-up, {bench.Options.Rounds} rounds, targets in rotating
            order. BotAgent stores every activity in its inbox before the 200 and answers `help` in the background (that work
            shares the two cores during the round); a new bot process serves each round and is killed with SIGKILL the
            moment the round ends, then its inbox is counted: {storedTotal:N0} of {answeredTotal:N0} activities answered 200 were there.
            The echo bots answer 200 after their reply reached the test channel. The load generator and the test
            channel run in the suite's own process on the same two cores (their CPU is shown).

            {table}
            {notes}

            **Burst** (the first target row): per round a new bot, warmed up for {bench.Options.Warmup.TotalSeconds:0} s and left to answer
            its warm-up, then {bench.Options.IngestDuration.TotalSeconds:0} s of `help` on {bench.Options.Connections} connections. While activities arrive at burst rate
            (2,000/s or more) the bot handles them two at a time and catches up afterwards (README, "When things go
            wrong"); the backlog is what was stored but not yet handled when the burst ended, drained when every reply
            had reached the channel. Then SIGKILL and the inbox is counted.

            {burstTable}
            """);
    }
}
