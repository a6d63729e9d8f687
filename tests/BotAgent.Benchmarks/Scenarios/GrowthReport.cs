using System.Globalization;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Report;
using BotAgent.Benchmarks.Store;
using BotAgent.Storage;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>(7)'s checks and section: each measure on the grown store against the same on the empty one.</summary>
internal static class GrowthReport
{
    public const string Title = "(7) Cost as the store grows";
    private const double Bar = 1.25;
    private const int Rank = 8;

    public static void Write(Bench bench, GrownStore store, TimeSpan made, StoreCosts[] stores, (int Runs, TimeSpan Took, long FreedBytes) retention)
    {
        var (empty, grown) = (stores[0], stores[1]);
        var manifest = store.Manifest;
        var table = new MarkdownTable("Measure", "Empty store p50 / p99 (ms)", "Grown store p50 / p99 (ms)", "Grown ÷ empty", "Result");
        Compare(bench, table, $"Goal → card p99 at {bench.Options.PacedGoalsPerSecond:N0} goals/s", empty.Goals, grown.Goals, q: 0.99);
        Compare(bench, table, $"`help` → reply p99 at {bench.Options.PacedGoalsPerSecond:N0}/s (ingest, inbox claim, reply)", empty.Help, grown.Help, q: 0.99);
        Compare(bench, table, "Inbox claim (`InboxStore.ClaimAsync`, one item) p50", [empty.InboxClaims], [grown.InboxClaims], 0, 0, q: 0.5);
        Compare(bench, table, "Outbox claim of a card's post (`OutboxStore.ClaimDueAsync`) p50", [empty.OutboxPostClaims], [grown.OutboxPostClaims], 0, 0, q: 0.5);
        Compare(bench, table, "Outbox claim of the card's update p50", [empty.OutboxUpdateClaims], [grown.OutboxUpdateClaims], 0, 0, q: 0.5);
        Compare(bench, table, "Outbox lease recovery (`OutboxStore.RecoverAsync`, every second) p50", [empty.OutboxRecoveries], [grown.OutboxRecoveries], 0, 0, q: 0.5);
        foreach (var (label, path) in GrowthScenario.Pages(store))
            Compare(bench, table, "GET " + label + " p50", [empty.Pages[path].Latency], [grown.Pages[path].Latency], empty.Pages[path].Errors, grown.Pages[path].Errors, q: 0.5);

        var perThousandMb = manifest.Bytes / 1048576.0 / (manifest.Runs / 1000.0);
        var perDayMb = manifest.Bytes / 1048576.0 / manifest.Days;
        var retentionDays = new StorageOptions().RetentionDays;
        bench.Report.Check(Rank, "Grown store: file size per 1,000 runs, and what retention keeps it at",
            string.Create(CultureInfo.InvariantCulture, $"{perThousandMb:N1} MB per 1,000 runs; Storage:RetentionDays defaults to {retentionDays} ({(retentionDays == 0 ? "keeps everything" : $"{retentionDays} days")})"),
            "reported", true);
        bench.Report.Section(GrowthReport.Title, string.Create(CultureInfo.InvariantCulture, $"""
            The empty store is a new file holding only the seed runs, made by the bot itself (Release build, offline planner, through
            the test channel): one run of each kind below and a {SeedRuns.LongSteps}-step run. The grown store is that file plus
            {manifest.Runs:N0} finished runs cloned from the seed runs with their own ids, conversations ({manifest.Runs / 20:N0}), requesters (500) and
            approvers (50), spread evenly over the {manifest.Days} days before {manifest.Made:yyyy-MM-dd}: {Kinds(manifest)}; {manifest.Events:N0} trace events,
            {(manifest.Bytes / 1048576.0):N0} MB. Every row is what the bot wrote for the seed run (plan versions, decisions, attempts, planning and
            execution events, inbox and outbox rows), so the JSON is the bot's own. Both files are made once and cached in
            `~/.cache/botagent-bench/` (named by the latest migration, {GrownStore.Schema}; made again after a week or with `--rebuild-store`):
            {(store.Made ? $"made in this run, {made.TotalSeconds:F0} s (seed runs {manifest.SeedSeconds:F0} s, clones {manifest.CloneSeconds:F0} s)" : $"taken from the cache (made in {manifest.SeedSeconds + manifest.CloneSeconds:F0} s)")}.
            Each run measures copies of them, never the cache.

            First the store's hot statements are timed on their own, on each copy before any bot opens it: the bot's own
            `InboxStore` and `OutboxStore` in the suite's process; one new pending inbox item claimed alone and completed
            ({bench.Options.PageRequests} times), a new card's post, then its update, each claimed and marked sent ({OutboxClaims()} times), and the
            outbox dispatcher's lease recovery, which it runs every second ({OutboxClaims()} times or as many as fit in {Budget()} s; {grown.OutboxRecoveries.Count} on the grown store).
            Then a bot (default settings) is started on each copy: start → first 200 took {empty.StartedIn.TotalMilliseconds:F0} ms on the
            empty store and {grown.StartedIn.TotalMilliseconds:F0} ms on the grown one. Before any goal is posted, each page is fetched in a row on one
            connection (loopback access, no token): {GrowthScenario.PageWarmup} times to warm up, then {bench.Options.PageRequests} times or as many as fit in {Budget()} s
            ({PageCounts(grown)} on the grown store), while the bot's background loops run as usual (the outbox lease
            recovery among them, every second). Then, after warm-up (200 goals each), {bench.Options.Rounds} round(s) alternate between the two
            bots: goals as in (2), paced, then `help` messages at the same rate, each timed from when it was due to its answer at
            the channel (median of the rounds' percentiles); answers not there {GrowthScenario.Settle.TotalSeconds:0} s after the last message are
            missing, and a bot with missing answers gets no further rounds ({Behind(stores)}). Results are the p50 (pages,
            statements) or p99 (paced loads) the check uses; the bar is {Bar:0.00} × the empty store's.

            {table}
            Store size: {perThousandMb:N1} MB per 1,000 finished runs ({(manifest.Events / (double)manifest.Runs):N0} trace events each),
            {perDayMb:N1} MB per day at this store's {manifest.Runs / (double)manifest.Days:N0} runs a day.{Tables(manifest)}
            Retention: `Storage:RetentionDays` (the `TraceRetentionService`, hourly) deletes finished runs with their events and outbox rows, and
            handled inbox items, older than that many days; its default is {retentionDays}, which keeps everything, so by default the
            file only grows. With it set, the file holds about that many days of runs (at this rate: 30 days ≈ {perDayMb * 30:N0} MB,
            90 days ≈ {perDayMb * 90:N0} MB) but never shrinks below its largest size: the bot turns on no auto_vacuum and runs no VACUUM,
            so SQLite keeps deleted pages for reuse. One retention pass over the grown copy, deleting its oldest day
            ({retention.Runs:N0} runs), took {retention.Took.TotalMilliseconds:N0} ms in one write transaction and freed {retention.FreedBytes / 1048576.0:N1} MB inside the file.
            """));
    }

    private static void Compare(Bench bench, MarkdownTable table, string measure, List<GoalRound> empty, List<GoalRound> grown, double q) =>
        Compare(bench, table, measure, [.. empty.Select(r => r.Cards)], [.. grown.Select(r => r.Cards)],
            empty.Sum(r => r.Missing + r.Post.Errors), grown.Sum(r => r.Missing + r.Post.Errors), q);

    private static void Compare(Bench bench, MarkdownTable table, string measure, IReadOnlyList<LatencyHistogram> empty, IReadOnlyList<LatencyHistogram> grown, long emptyErrors, long grownErrors, double q)
    {
        static double At(IReadOnlyList<LatencyHistogram> rounds, double q) => Stats.Median([.. rounds.Select(r => r.PercentileMs(q))]);
        static string Both(IReadOnlyList<LatencyHistogram> rounds) => $"{Stats.Format(At(rounds, 0.5), "N2")} / {Stats.Format(At(rounds, 0.99), "N2")}";
        var ratio = At(grown, q) / At(empty, q);
        var errors = emptyErrors + grownErrors;
        var pass = ratio <= Bar && errors == 0;
        table.Add(measure, Both(empty), Both(grown), Stats.Ratio(ratio), (pass ? "PASS" : "**FAIL**") + (errors > 0 ? $" ({errors} errors or missing answers)" : ""));
        bench.Report.Check(Rank, "Grown store: " + measure,
            $"{Stats.Format(At(grown, q), "N2")} vs {Stats.Format(At(empty, q), "N2")} ms = {Stats.Ratio(ratio)}{(errors > 0 ? $", {errors} errors" : "")}",
            $"≤ {Bar:0.00} × empty", pass);
    }

    private static string Budget() => GrowthScenario.PageBudget.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    private static string PageCounts(StoreCosts costs) => string.Join(", ", costs.Pages.Values.Select(p => p.Ok.ToString(CultureInfo.InvariantCulture)));

    private static string OutboxClaims() => GrowthScenario.OutboxClaims.ToString(CultureInfo.InvariantCulture);

    private static string Behind(StoreCosts[] stores)
    {
        var behind = stores.Where(s => s.FellBehind).Select(s => $"the {s.Name} store's bot fell behind in round {s.Goals.Count}").ToList();
        return behind.Count == 0 ? "neither fell behind" : string.Join("; ", behind);
    }

    private static string Kinds(GrownStoreManifest manifest) =>
        string.Join(", ", manifest.RunsByKind.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Value:N0} × {k.Key} ({manifest.EventsPerRun[k.Key]} events)")));

    private static string Tables(GrownStoreManifest manifest) =>
        manifest.BytesByTable.Count == 0 ? ""
            : " What the values take by table (without indexes and page overhead, which make up the rest): " + string.Join(", ", manifest.BytesByTable
                .Where(t => t.Value >= manifest.Bytes / 100)
                .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value / 1048576.0:N0} MB ({t.Value * 100.0 / manifest.Bytes:N0} % of the file)"))) + ".";
}
