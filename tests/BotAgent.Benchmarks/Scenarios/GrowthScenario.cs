using System.Diagnostics;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Store;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (7) Cost as the store grows: the same measures on an empty store and on one grown to the suite's count of finished
/// runs (made once and cached, see <see cref="GrownStore"/>), each on its own copy. First the inbox and outbox claims
/// on their own, then a bot started on each copy: the trace viewer's pages, then goal → card and <c>help</c> → reply at
/// the paced rate, round after round, alternating between the two bots.
/// </summary>
internal static class GrowthScenario
{
    public const int PageWarmup = 20;
    public const int OutboxClaims = 20;

    /// <summary>The most time one page's requests (or the outbox recoveries) on one store may take: a slow page is timed fewer times.</summary>
    public static readonly TimeSpan PageBudget = TimeSpan.FromSeconds(8);

    /// <summary>How long a paced round waits for the last answers: a bot that keeps up answers within milliseconds.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Bench bench)
    {
        var clock = Stopwatch.StartNew();
        var store = await GrownStore.EnsureAsync(bench);
        var made = clock.Elapsed;
        var stores = new[]
        {
            new StoreCosts("empty", Path.Combine(bench.WorkDirectory, "store-empty.db")),
            new StoreCosts("grown", Path.Combine(bench.WorkDirectory, "store-grown.db")),
        };
        try
        {
            clock.Restart();
            File.Copy(store.EmptyPath, stores[0].Path);
            File.Copy(store.GrownPath, stores[1].Path);
            bench.Log($"grown store: copied in {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var costs in stores)
                await MeasureClaimsAsync(bench, costs);
            foreach (var costs in stores)
            {
                costs.Bot = await bench.StartBotAsync(costs.Path);
                costs.StartedIn = costs.Bot.FirstAccepted;
                bench.Log($"grown store: bot on the {costs.Name} store answered in {costs.StartedIn.TotalMilliseconds:F0} ms");
            }
            await MeasurePagesAsync(bench, store, stores);
            await MeasurePacedAsync(bench, stores);
            foreach (var costs in stores)
            {
                await costs.Bot!.DisposeAsync();
                costs.Bot = null;
            }
            var retention = await RetentionPassAsync(bench, store, stores[1].Path);
            GrowthReport.Write(bench, store, made, stores, retention);
        }
        finally
        {
            foreach (var costs in stores)
            {
                if (costs.Bot is not null)
                    await costs.Bot.DisposeAsync();
                foreach (var file in new[] { costs.Path, costs.Path + "-wal", costs.Path + "-shm" })
                    File.Delete(file);
            }
        }
    }

    public static IReadOnlyList<(string Label, string Path)> Pages(GrownStore store) =>
    [
        ("`/runs`, first page (with the 30-day dashboard)", "/runs"),
        ("`/runs?status=failed`", "/runs?status=failed"),
        ("`/runs?q=status page`", "/runs?q=status%20page"),
        ($"the {SeedRuns.LongSteps}-step run's page `/runs/{{id}}`", "/runs/" + store.Manifest.LongRunId),
    ];

    /// <summary>Before any bot has the file open: the bot's own store classes in this process.</summary>
    private static async Task MeasureClaimsAsync(Bench bench, StoreCosts costs)
    {
        await using var direct = new DirectStore(costs.Path);
        costs.InboxClaims = await direct.InboxClaimsAsync(PageWarmup, bench.Options.PageRequests);
        (costs.OutboxPostClaims, costs.OutboxUpdateClaims) = await direct.OutboxClaimsAsync(2, OutboxClaims);
        costs.OutboxRecoveries = await direct.OutboxRecoveriesAsync(OutboxClaims, PageBudget);
        bench.Log($"claims on the {costs.Name} store (p50 / p99 ms): inbox {Both(costs.InboxClaims)}, outbox post {Both(costs.OutboxPostClaims)}, update {Both(costs.OutboxUpdateClaims)}; outbox lease recovery {Both(costs.OutboxRecoveries)} ({costs.OutboxRecoveries.Count} times)");
    }

    /// <summary>Before the paced loads, so that a bot left behind by them is not what its pages are timed on.</summary>
    private static async Task MeasurePagesAsync(Bench bench, GrownStore store, StoreCosts[] stores)
    {
        foreach (var (label, path) in Pages(store))
        {
            foreach (var costs in stores)
            {
                var bot = costs.Bot!.Process;
                var page = RequestTemplate.Get(new Uri($"http://{bot.Endpoint}{path}"));
                await LoadGenerator.ClosedAsync(bot.Endpoint, page, 1, PageWarmup, PageBudget / 4, null, CancellationToken.None);
                var result = await LoadGenerator.ClosedAsync(bot.Endpoint, page, 1, bench.Options.PageRequests, PageBudget, null, CancellationToken.None);
                costs.Pages[path] = result;
                bench.Log($"GET {path} on the {costs.Name} store: p50 {result.Latency.PercentileMs(0.5):F1} p99 {result.Latency.PercentileMs(0.99):F1} ms, {result.Errors} errors{(result.FirstError is null ? "" : " (" + result.FirstError + ")")}");
            }
        }
    }

    /// <summary>Rounds alternate between the stores, which goes first too, so a drift of the shared machine falls on both alike.</summary>
    private static async Task MeasurePacedAsync(Bench bench, StoreCosts[] stores)
    {
        foreach (var costs in stores)
        {
            var started = Stopwatch.GetTimestamp();
            await GoalScenario.WarmUpAsync(bench, costs.Bot!.Process);
            bench.Log($"warm-up on the {costs.Name} store: {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        }
        for (var round = 0; round < bench.Options.Rounds; round++)
        {
            foreach (var costs in round % 2 == 0 ? stores : stores.Reverse())
            {
                // A bot that has fallen behind only falls further: its later rounds would time out, not measure.
                if (costs.FellBehind)
                    continue;
                costs.Goals.Add(await GoalScenario.PacedAsync(bench, costs.Bot!.Process, ChannelLoad.Goals, settle: Settle));
                costs.Help.Add(await GoalScenario.PacedAsync(bench, costs.Bot!.Process, ChannelLoad.Help, settle: Settle));
            }
        }
    }

    private static string Both(LatencyHistogram latency) => $"{latency.PercentileMs(0.5):F2} / {latency.PercentileMs(0.99):F2}";

    /// <summary>The retention service's pass over the grown copy, deleting its oldest day of runs.</summary>
    private static async Task<(int Runs, TimeSpan Took, long FreedBytes)> RetentionPassAsync(Bench bench, GrownStore store, string path)
    {
        await using var direct = new DirectStore(path);
        var cutoff = store.Manifest.Made.AddDays(1 - store.Manifest.Days);
        var pass = await direct.RetentionPassAsync(cutoff, path);
        bench.Log($"retention pass on the grown store: {pass.Runs} runs deleted in {pass.Took.TotalMilliseconds:F0} ms, {pass.FreedBytes / 1048576.0:F1} MB freed inside the file");
        return pass;
    }
}
