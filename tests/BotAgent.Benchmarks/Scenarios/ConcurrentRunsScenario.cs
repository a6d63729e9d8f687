using System.Diagnostics;
using System.Globalization;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Report;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (5) Many runs waiting for approval at once, then approved together: a new bot, warmed up with a full
/// goal → approve → summary cycle; memory and threads at rest, with all runs waiting, and after they finish.
/// </summary>
internal static class ConcurrentRunsScenario
{
    public static async Task RunAsync(Bench bench)
    {
        var runs = bench.Options.ConcurrentRuns;
        await using var bot = await bench.StartBotAsync();
        var process = bot.Process;

        var warm = await PlanBatch.PostAsync(bench, process, 200, TimeSpan.FromSeconds(60));
        await LoadGenerator.ClosedAsync(process.Endpoint, warm.Approvals(bench, process), bench.Options.Connections, warm.Count, TimeSpan.FromSeconds(60), null, CancellationToken.None);
        await warm.WaitForSummariesAsync(TimeSpan.FromSeconds(60));
        bench.Channel.Forget(warm.Log);
        await Task.Delay(bench.Options.IdleSettle);
        var before = await SnapshotAsync(process);

        await using var watch = ProcessWatch.Start(process.Pid);
        var batch = await PlanBatch.PostAsync(bench, process, runs, TimeSpan.FromSeconds(180));
        await Task.Delay(bench.Options.IdleSettle);
        var waiting = await SnapshotAsync(process);
        bench.Log($"concurrent: {batch.Log.Cards} cards; RSS {before.Status.RssMb:F1} → {waiting.Status.RssMb:F1} MB, heap {before.HeapMb:F1} → {waiting.HeapMb:F1} MB, threads {before.Status.Threads} → {waiting.Status.Threads}");

        var approveStart = Stopwatch.GetTimestamp();
        var clicks = await LoadGenerator.ClosedAsync(process.Endpoint, batch.Approvals(bench, process), bench.Options.Connections, batch.Count, TimeSpan.FromSeconds(120), null, CancellationToken.None);
        var completed = await batch.WaitForSummariesAsync(TimeSpan.FromSeconds(300));
        var allDone = Stopwatch.GetElapsedTime(approveStart);
        var usage = await watch.StopAsync();
        await Task.Delay(bench.Options.IdleSettle);
        var after = await SnapshotAsync(process);
        bench.Channel.Forget(batch.Log);
        bench.Log($"concurrent: {batch.Log.Summaries} summaries ({batch.Log.FailedRuns} failed) in {allDone.TotalSeconds:F1} s; RSS after {after.Status.RssMb:F1} MB, heap {after.HeapMb:F1} MB");

        Report(bench, new Outcome(runs, batch, clicks, completed, allDone, usage, before, waiting, after));
    }

    /// <summary>
    /// Threads and RSS once the thread pool has let go of the threads it added under load (it retires idle
    /// ones after a while: wait until the count has not fallen for 4 s, at most 25 s), then the live heap
    /// after a full GC (which the measuring itself induces).
    /// </summary>
    private static async Task<Snapshot> SnapshotAsync(TargetProcess process)
    {
        var started = Stopwatch.GetTimestamp();
        var lowest = process.Status.Threads;
        var since = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(since) < TimeSpan.FromSeconds(4) && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(25))
        {
            await Task.Delay(500);
            if (process.Status.Threads < lowest)
            {
                lowest = process.Status.Threads;
                since = Stopwatch.GetTimestamp();
            }
        }
        var status = process.Status;
        long heap;
        try
        {
            heap = await LiveHeap.MeasureAsync(process.Pid, TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException)
        {
            heap = -1;
        }
        return new Snapshot(status, heap, process.Status.RssKb);
    }

    /// <param name="HeapBytes">Live managed heap after a full GC; -1 when it could not be read.</param>
    /// <param name="RssAfterGcKb">RSS right after that GC.</param>
    private sealed record Snapshot(ProcessStatus Status, long HeapBytes, long RssAfterGcKb)
    {
        public double HeapMb => HeapBytes < 0 ? double.NaN : HeapBytes / 1048576.0;
    }

    private sealed record Outcome(int Runs, PlanBatch Batch, LoadResult Clicks, bool Completed, TimeSpan AllDone, Usage Usage,
        Snapshot Before, Snapshot Waiting, Snapshot After);

    // A run that held a thread would add one per waiting run; the pool's own coming and going is a few.
    private const double ThreadsPerHundredRuns = 1;

    private static void Report(Bench bench, Outcome o)
    {
        var log = o.Batch.Log;
        var errors = o.Batch.Posted.Errors + o.Batch.Missing + o.Clicks.Errors + log.FailedRuns + (log.Cards - log.Summaries) + (log.StepCalls - log.Steps);
        var heapPerRunKb = o.Before.HeapBytes < 0 || o.Waiting.HeapBytes < 0 ? double.NaN : (o.Waiting.HeapBytes - o.Before.HeapBytes) / 1024.0 / o.Runs;
        var rssPerRunKb = (o.Waiting.Status.RssKb - o.Before.Status.RssKb) / (double)o.Runs;
        var extraThreads = o.Waiting.Status.Threads - o.Before.Status.Threads;
        var table = new MarkdownTable("Moment", "RSS (MB)", "Threads", "Live heap after full GC (MB)", "RSS after that GC (MB)");
        foreach (var (moment, snapshot) in new[] { ("at rest after warm-up", o.Before), ($"{log.Cards:N0} runs awaiting approval", o.Waiting), ("after all finished", o.After) })
            table.Add(moment, Stats.Format(snapshot.Status.RssMb, "N1"), snapshot.Status.Threads.ToString(CultureInfo.InvariantCulture),
                Stats.Format(snapshot.HeapMb, "N2"), Stats.Format(snapshot.RssAfterGcKb / 1024.0, "N1"));
        table.Add("peak while approving and running", Stats.Format(o.Usage.PeakRssMb, "N1"), o.Usage.PeakThreads.ToString(CultureInfo.InvariantCulture), "", "");
        bench.Report.Check(5, $"{o.Runs:N0} concurrent runs complete with no error", $"{log.Summaries - log.FailedRuns:N0} succeeded, {errors:N0} errors, all done {o.AllDone.TotalSeconds:F1} s after the first click", "all, 0 errors", errors == 0 && o.Completed);
        bench.Report.Check(6, "Runs awaiting approval hold no threads, < 20 KB each",
            string.Create(CultureInfo.InvariantCulture, $"{heapPerRunKb:F1} KB/run live heap ({rssPerRunKb:F1} KB/run RSS); threads {extraThreads:+0;-0;0} for {o.Runs:N0} runs"),
            "< 20 KB heap, < 1 thread per 100 runs", heapPerRunKb < 20 && extraThreads < ThreadsPerHundredRuns * o.Runs / 100);
        bench.Report.Section($"(5) {o.Runs:N0} runs awaiting approval, then approved together",
            string.Create(CultureInfo.InvariantCulture, $"""
            A new bot, warmed up by 200 goals approved and finished. Then {o.Runs:N0} goals ({bench.Options.Connections} connections), all {log.Cards:N0} plan cards
            delivered; once the thread pool has retired the threads it added under load (the count has not fallen for 4 s, at
            most 25 s) resident memory and threads are read, then the live managed heap after a full blocking GC (induced
            over EventPipe, as dotnet-gcdump does). Then all {o.Runs:N0} approved at once ({bench.Options.Connections} connections):
            {log.Summaries:N0} summaries ({log.FailedRuns} failed){(o.Completed ? "" : " — not all within the 300 s timeout —")} in {o.AllDone.TotalSeconds:F1} s from the first click, {o.Clicks.Errors} clicks not
            answered 2xx, {log.StepCalls - log.Steps} steps run twice. Bot CPU over goals, approvals and runs: {o.Usage.Cores:F2} cores.
            Per waiting run: {heapPerRunKb:F1} KB of live heap, {rssPerRunKb:F1} KB of RSS, {extraThreads} threads. RSS moves with what
            server GC keeps committed, so it can even fall; the live heap is what the waiting runs hold.

            {table}
            """));
    }
}
