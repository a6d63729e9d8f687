using BotAgent.Benchmarks.Connector;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Report;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (2) Goal → plan card with the offline planner, card delivered to the test channel: sustained (as many
/// goals as 64 connections post, rate = cards delivered per second from the first post to the last card)
/// and paced (a fixed rate, latency from when each goal was due to when its card arrived).
/// </summary>
internal static class GoalScenario
{
    public static async Task RunAsync(Bench bench, Started bot, double jsEchoRate)
    {
        await WarmUpAsync(bench, bot.Process);
        var sustained = new List<GoalRound>();
        var paced = new List<GoalRound>();
        for (var round = 0; round < bench.Options.Rounds; round++)
        {
            sustained.Add(await SustainedAsync(bench, bot.Process));
            paced.Add(await PacedAsync(bench, bot.Process, ChannelLoad.Goals));
        }

        var table = new MarkdownTable("Load", "Goals → cards/s", "Goal → card p50 / p95 / p99 (ms)", "POST p99 (ms)", "Missing cards", "CPU (cores)", "Peak RSS (MB)");
        table.Add($"sustained: {bench.Options.SustainedGoals:N0} goals, {bench.Options.Connections} connections", Stats.Range([.. sustained.Select(r => r.Rate)]),
            Percentiles(sustained), Stats.Format(Stats.Median([.. sustained.Select(r => r.Post.Latency.PercentileMs(0.99))]), "N1"),
            sustained.Sum(r => r.Missing).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Stats.Range([.. sustained.Select(r => r.Usage.Cores)], "N2"), Stats.Range([.. sustained.Select(r => r.Usage.PeakRssMb)]));
        table.Add($"paced: {bench.Options.PacedGoalsPerSecond:N0} goals/s for {bench.Options.PacedDuration.TotalSeconds:0} s", Stats.Range([.. paced.Select(r => r.Rate)]),
            Percentiles(paced), Stats.Format(Stats.Median([.. paced.Select(r => r.Post.Latency.PercentileMs(0.99))]), "N1"),
            paced.Sum(r => r.Missing).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Stats.Range([.. paced.Select(r => r.Usage.Cores)], "N2"), Stats.Range([.. paced.Select(r => r.Usage.PeakRssMb)]));

        var rate = Stats.Median([.. sustained.Select(r => r.Rate)]);
        var p99 = Stats.Median([.. paced.Select(r => r.Cards.PercentileMs(0.99))]);
        bench.Report.Check(2, "Sustained goals → plan cards ≥ 4 × JS SDK echo rate", $"{Stats.Format(rate)} vs {Stats.Format(jsEchoRate)}/s = {Stats.Ratio(rate / jsEchoRate)}", "≥ 4.00×", rate / jsEchoRate >= 4 && sustained.All(r => r.Missing == 0));
        bench.Report.Check(3, $"Goal → card p99 at {bench.Options.PacedGoalsPerSecond:N0} goals/s", $"{Stats.Format(p99, "N1")} ms", "≤ 50 ms", p99 <= 50 && paced.All(r => r.Missing == 0));
        bench.Report.Section("(2) Goal → plan card",
            $"""
            `check http://127.0.0.1:…/health?g=…` posted by Alice, one conversation per goal; the offline planner makes a one-step
            read-only plan, policy passes it and the card ("Plan awaiting approval") goes through the outbox to the test channel.
            Sustained: {bench.Options.SustainedGoals:N0} goals posted as fast as {bench.Options.Connections} connections go; the rate is cards delivered per second from the
            first post to the last card, and latency includes the queue. Paced: goals due at a fixed rate (open loop), latency
            from when each goal was due to when its card reached the channel. Median (min–max) of {bench.Options.Rounds} rounds; percentiles are
            the median of the rounds'. The JS SDK echo rate ({Stats.Format(jsEchoRate)}/s) is from (1) in this run.

            {table}
            """);
    }

    private static string Percentiles(IReadOnlyCollection<GoalRound> rounds) =>
        string.Join(" / ", new[] { 0.5, 0.95, 0.99 }.Select(q => Stats.Format(Stats.Median([.. rounds.Select(r => r.Cards.PercentileMs(q))]), "N1")));

    /// <summary>200 goals on 16 connections and their cards: the bot's code is jitted and its store's pages read.</summary>
    public static async Task WarmUpAsync(Bench bench, TargetProcess bot)
    {
        var tag = bench.NewTag();
        var log = bench.Channel.Track(tag, 200);
        var load = await LoadGenerator.ClosedAsync(bot.Endpoint, bench.Payloads.Goal(bot.MessagesUri, tag), 16, 200, TimeSpan.FromSeconds(30), null, CancellationToken.None);
        await log.WaitAsync(l => l.Cards >= load.Ok, TimeSpan.FromSeconds(60), CancellationToken.None);
        bench.Channel.Forget(log);
    }

    private static async Task<GoalRound> SustainedAsync(Bench bench, TargetProcess bot)
    {
        var count = bench.Options.SustainedGoals;
        return await MeasureAsync(bench, bot, count, ChannelLoad.Goals, (requests, sentAt) =>
            LoadGenerator.ClosedAsync(bot.Endpoint, requests, bench.Options.Connections, count, TimeSpan.FromSeconds(60), sentAt, CancellationToken.None), "sustained");
    }

    /// <summary>
    /// <paramref name="load"/>'s messages due at <paramref name="perSecond"/> for <paramref name="duration"/> (the suite's paced
    /// rate and duration unless given; open loop); latency from when each was due to when its answer reached the channel,
    /// waited for up to <paramref name="settle"/> (120 s) after the last. (7) and (8) use it too.
    /// </summary>
    public static async Task<GoalRound> PacedAsync(
        Bench bench, TargetProcess bot, ChannelLoad load, double? perSecond = null, TimeSpan? duration = null, TimeSpan? settle = null)
    {
        var rate = perSecond ?? bench.Options.PacedGoalsPerSecond;
        var count = (int)(rate * (duration ?? bench.Options.PacedDuration).TotalSeconds);
        return await MeasureAsync(bench, bot, count, load, (requests, sentAt) =>
            LoadGenerator.OpenAsync(bot.Endpoint, requests, bench.Options.Connections, rate, count, sentAt, CancellationToken.None), "paced", settle);
    }

    private static async Task<GoalRound> MeasureAsync(
        Bench bench, TargetProcess bot, int count, ChannelLoad load, Func<IRequestSource, long[], Task<LoadResult>> send, string name, TimeSpan? settle = null)
    {
        var tag = bench.NewTag();
        var log = bench.Channel.Track(tag, count);
        var sentAt = new long[count];
        await using var watch = ProcessWatch.Start(bot.Pid);
        var post = await send(load.Requests(bench.Payloads, bot.MessagesUri, tag), sentAt);
        await log.WaitAsync(l => load.Answered(l) >= post.Ok, settle ?? TimeSpan.FromSeconds(120), CancellationToken.None);
        var usage = await watch.StopAsync();
        bench.Channel.Forget(log);
        var answeredAt = load.AnsweredAt(log);
        var round = new GoalRound(post, Intervals.Between(sentAt, answeredAt, count), Intervals.Rate(sentAt, answeredAt, count), count - load.Answered(log), usage, log, sentAt);
        bench.Log($"{load.Name} {name}: {round.Rate:N0} answered/s, {load.Message}→{load.Answer} p50 {round.Cards.PercentileMs(0.5):F1} p99 {round.Cards.PercentileMs(0.99):F1} ms, missing {round.Missing}, {usage.Cores:F2} cores");
        return round;
    }
}
