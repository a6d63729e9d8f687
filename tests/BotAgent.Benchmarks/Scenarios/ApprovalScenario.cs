using System.Globalization;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Report;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (3) Approval → first step started: plans are made first, then approved at a fixed rate (open loop);
/// latency from when each click was due to when its step's GET reached the target, and on to the summary.
/// </summary>
internal static class ApprovalScenario
{
    public static async Task RunAsync(Bench bench, Started bot)
    {
        var rounds = new List<(LatencyHistogram Step, LatencyHistogram Summary, LoadResult Clicks, int Failed, int Missing, int Repeats, Usage Usage)>();
        for (var round = 0; round < bench.Options.Rounds; round++)
        {
            var batch = await PlanBatch.PostAsync(bench, bot.Process, bench.Options.Approvals, TimeSpan.FromSeconds(120));
            var count = batch.Log.Cards;
            var sentAt = new long[batch.Count];
            await using var watch = ProcessWatch.Start(bot.Process.Pid);
            var clicks = await LoadGenerator.OpenAsync(bot.Process.Endpoint, batch.Approvals(bench, bot.Process), bench.Options.Connections,
                bench.Options.ApprovalsPerSecond, count, sentAt, CancellationToken.None);
            await batch.WaitForSummariesAsync(TimeSpan.FromSeconds(120));
            var usage = await watch.StopAsync();
            bench.Channel.Forget(batch.Log);
            var step = Intervals.Between(sentAt, batch.Log.StepAt, count);
            var summary = Intervals.Between(sentAt, batch.Log.SummaryAt, count);
            rounds.Add((step, summary, clicks, batch.Log.FailedRuns, batch.Count - batch.Log.Summaries, batch.Log.StepCalls - batch.Log.Steps, usage));
            bench.Log($"approvals: approve→step p50 {step.PercentileMs(0.5):F1} p99 {step.PercentileMs(0.99):F1} ms, →summary p99 {summary.PercentileMs(0.99):F1} ms, failed {batch.Log.FailedRuns}, missing {batch.Count - batch.Log.Summaries}");
        }

        string P(Func<(LatencyHistogram Step, LatencyHistogram Summary, LoadResult Clicks, int, int, int, Usage), LatencyHistogram> pick) =>
            string.Join(" / ", new[] { 0.5, 0.95, 0.99 }.Select(q => Stats.Format(Stats.Median([.. rounds.Select(r => pick(r).PercentileMs(q))]), "N1")));
        var table = new MarkdownTable("Measure", "p50 / p95 / p99 (ms)")
            .Add("click POST answered", P(r => r.Clicks.Latency))
            .Add("approve → first step's GET at the target", P(r => r.Step))
            .Add("approve → run summary at the channel", P(r => r.Summary));
        var errors = rounds.Sum(r => r.Clicks.Errors) + rounds.Sum(r => r.Failed) + rounds.Sum(r => r.Missing) + rounds.Sum(r => r.Repeats);
        bench.Report.Section("(3) Approval → first step started",
            string.Create(CultureInfo.InvariantCulture, $"""
            {bench.Options.Approvals} plans per round are made first; then Bob's Approve clicks (Action.Submit) are due at {bench.Options.ApprovalsPerSecond:N0}/s (open loop).
            The step is `http.get` of the suite's loopback target, so its start is seen there. Median over {bench.Options.Rounds} rounds of each
            round's percentiles. Bot CPU {Stats.Range([.. rounds.Select(r => r.Usage.Cores)], "N2")} cores, peak RSS {Stats.Range([.. rounds.Select(r => r.Usage.PeakRssMb)])} MB.
            Errors: {rounds.Sum(r => r.Clicks.Errors)} clicks not answered 2xx, {rounds.Sum(r => r.Failed)} runs failed, {rounds.Sum(r => r.Missing)} summaries missing, {rounds.Sum(r => r.Repeats)} steps run twice{(errors == 0 ? " (none)" : "")}.

            {table}
            """));
    }
}
