using System.Diagnostics;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Store;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (7) Cost as the store grows: the same measures on an empty store and on one grown to the suite's count of finished
/// runs (made once and cached, see <see cref="GrownStore"/>), each on its own copy, with a bot started on each and
/// measured in turn, round after round: goal → card and <c>help</c> → reply at the paced rate, the trace viewer's
/// pages, and the inbox claim on its own.
/// </summary>
internal static class GrowthScenario
{
    public const int PageWarmup = 20;

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
            {
                await using var direct = new DirectStore(costs.Path);
                costs.Claims = await direct.ClaimsAsync(PageWarmup, bench.Options.PageRequests);
                bench.Log($"inbox claim on the {costs.Name} store: p50 {costs.Claims.PercentileMs(0.5):F2} p99 {costs.Claims.PercentileMs(0.99):F2} ms");
            }
            await MeasureBotsAsync(bench, store, stores);
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

    private static async Task MeasureBotsAsync(Bench bench, GrownStore store, StoreCosts[] stores)
    {
        foreach (var costs in stores)
        {
            costs.Bot = await bench.StartBotAsync(costs.Path);
            costs.StartedIn = costs.Bot.FirstAccepted;
            bench.Log($"grown store: bot on the {costs.Name} store answered in {costs.Bot.FirstAccepted.TotalMilliseconds:F0} ms");
            await GoalScenario.WarmUpAsync(bench, costs.Bot.Process);
        }
        // Rounds alternate between the stores, which goes first too, so a drift of the shared machine falls on both alike.
        for (var round = 0; round < bench.Options.Rounds; round++)
        {
            foreach (var costs in round % 2 == 0 ? stores : stores.Reverse())
            {
                costs.Goals.Add(await GoalScenario.PacedAsync(bench, costs.Bot!.Process, ChannelLoad.Goals));
                costs.Help.Add(await GoalScenario.PacedAsync(bench, costs.Bot!.Process, ChannelLoad.Help));
            }
        }
        foreach (var (label, path) in Pages(store))
        {
            foreach (var costs in stores)
            {
                var bot = costs.Bot!.Process;
                var page = RequestTemplate.Get(new Uri($"http://{bot.Endpoint}{path}"));
                await LoadGenerator.ClosedAsync(bot.Endpoint, page, 1, PageWarmup, TimeSpan.FromSeconds(60), null, CancellationToken.None);
                var result = await LoadGenerator.ClosedAsync(bot.Endpoint, page, 1, bench.Options.PageRequests, TimeSpan.FromSeconds(120), null, CancellationToken.None);
                costs.Pages[path] = result;
                bench.Log($"GET {path} on the {costs.Name} store: p50 {result.Latency.PercentileMs(0.5):F1} p99 {result.Latency.PercentileMs(0.99):F1} ms, {result.Errors} errors{(result.FirstError is null ? "" : " (" + result.FirstError + ")")}");
            }
        }
        foreach (var costs in stores)
        {
            await costs.Bot!.DisposeAsync();
            costs.Bot = null;
        }
    }

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
