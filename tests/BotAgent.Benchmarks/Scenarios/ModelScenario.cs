using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Model;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (8) Model overhead: the bot planning, observing and summarising with a loopback model that answers after a fixed
/// latency. Goals at a fixed rate, measured to their cards (the plan call should be the only wait on that path);
/// then approvals at a fixed rate, measured to the run's summary, with the model calls each run made in between.
/// </summary>
internal static class ModelScenario
{
    public static async Task RunAsync(Bench bench)
    {
        var bounds = bench.Options.Model;
        await using var model = await BenchModel.StartAsync(bounds.Latency);
        bench.Log($"loopback model {model.BaseUri} answering after {bounds.Latency.TotalMilliseconds:N0} ms");
        await using var bot = await bench.StartBotAsync(environment: model.BotEnvironment);
        await WarmUpAsync(bench, bot.Process);

        var goals = new List<(GoalRound Round, ModelPath Path)>();
        var approvals = new List<ModelApprovalRound>();
        for (var round = 0; round < bench.Options.Rounds; round++)
        {
            var paced = await GoalScenario.PacedAsync(bench, bot.Process, ChannelLoad.Goals, bounds.GoalsPerSecond, bounds.GoalDuration);
            var path = ModelPath.Of(model.CallsOf(paced.Log.Tag), paced.Log.Tag, paced.SentAt, paced.Log.CardAt, paced.Log.Capacity, ModelCallKind.Plan);
            goals.Add((paced, path));
            bench.Log($"model goals: {path.PerRun(ModelCallKind.Plan):N2} plan calls per card, model wait p50 {path.Wait(ModelCallKind.Plan).PercentileMs(0.5):F1} ms");
            approvals.Add(await ApproveAsync(bench, bot.Process, model));
        }
        bench.Log($"model calls at the server: {string.Join(", ", Enum.GetValues<ModelCallKind>().Select(k => $"{k} {model.Count(k)}"))}");
        ModelReport.Write(bench, goals, approvals, model);
    }

    /// <summary>Plans first, then Bob's Approve clicks due at the bounds' rate (open loop), each measured to its run's summary.</summary>
    private static async Task<ModelApprovalRound> ApproveAsync(Bench bench, TargetProcess bot, BenchModel model)
    {
        var bounds = bench.Options.Model;
        var batch = await PlanBatch.PostAsync(bench, bot, bounds.Approvals, TimeSpan.FromSeconds(120));
        var count = batch.Log.Cards;
        var sentAt = new long[batch.Count];
        await using var watch = ProcessWatch.Start(bot.Pid);
        var clicks = await LoadGenerator.OpenAsync(bot.Endpoint, batch.Approvals(bench, bot), bench.Options.Connections, bounds.ApprovalsPerSecond, count, sentAt, CancellationToken.None);
        await batch.WaitForSummariesAsync(TimeSpan.FromSeconds(120));
        var usage = await watch.StopAsync();
        bench.Channel.Forget(batch.Log);

        var path = ModelPath.Of(model.CallsOf(batch.Log.Tag), batch.Log.Tag, sentAt, batch.Log.SummaryAt, count, ModelCallKind.Summary);
        var round = new ModelApprovalRound(clicks, Intervals.Between(sentAt, batch.Log.StepAt, count), Intervals.Between(sentAt, batch.Log.SummaryAt, count),
            path, batch.Log.FailedRuns, batch.Count - batch.Log.Summaries, usage);
        bench.Log($"model approvals: approve→summary p50 {round.Summary.PercentileMs(0.5):F1} p99 {round.Summary.PercentileMs(0.99):F1} ms; model calls per run on the path: "
            + string.Join(", ", path.Seen.Select(k => $"{k} {path.PerRun(k):N2} ({path.Wait(k).PercentileMs(0.5):F0} ms)")) + $"; failed {round.Failed}, missing {round.Missing}");
        return round;
    }

    /// <summary>Both paths once, so that what is measured is neither compiled nor cold: plans, clicks, steps, observations, summaries.</summary>
    private static async Task WarmUpAsync(Bench bench, TargetProcess bot)
    {
        var bounds = bench.Options.Model;
        bench.Log("model warm-up (not measured)");
        await GoalScenario.PacedAsync(bench, bot, ChannelLoad.Goals, bounds.GoalsPerSecond, bounds.WarmUpGoals);
        var batch = await PlanBatch.PostAsync(bench, bot, bounds.WarmUpRuns, TimeSpan.FromSeconds(60));
        await LoadGenerator.OpenAsync(bot.Endpoint, batch.Approvals(bench, bot), bench.Options.Connections, 20, batch.Log.Cards, null, CancellationToken.None);
        await batch.WaitForSummariesAsync(TimeSpan.FromSeconds(60));
        bench.Channel.Forget(batch.Log);
    }
}
