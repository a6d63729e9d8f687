using BotAgent.Benchmarks.Connector;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>Goals posted in one go and their plan cards, ready to be approved.</summary>
internal sealed class PlanBatch
{
    private PlanBatch(RoundLog log, int count, LoadResult posted)
    {
        Log = log;
        Count = count;
        Posted = posted;
    }

    public RoundLog Log { get; }

    public int Count { get; }

    public LoadResult Posted { get; }

    public int Missing => Count - Log.Cards;

    /// <summary>Posts <paramref name="count"/> goals over the suite's connections and waits for their cards.</summary>
    public static async Task<PlanBatch> PostAsync(Bench bench, TargetProcess bot, int count, TimeSpan timeout)
    {
        var tag = bench.NewTag();
        var log = bench.Channel.Track(tag, count);
        var posted = await LoadGenerator.ClosedAsync(bot.Endpoint, bench.Payloads.Goal(bot.MessagesUri, tag), bench.Options.Connections, count, timeout, null, CancellationToken.None);
        await log.WaitAsync(l => l.Cards >= posted.Ok, timeout, CancellationToken.None);
        return new PlanBatch(log, count, posted);
    }

    /// <summary>Bob's Approve click on each card (Action.Submit), by index.</summary>
    public IRequestSource Approvals(Bench bench, TargetProcess bot)
    {
        if (Missing > 0)
            throw new InvalidOperationException($"{Missing} of {Count} plan cards did not arrive; nothing to approve for them.");
        var clickTag = bench.NewTag();
        return new VariableRequests(bot.MessagesUri, index =>
        {
            var i = (int)index;
            var goalId = Log.Tag + i.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            var clickId = clickTag + i.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            return bench.Payloads.Approve(clickId, goalId, Log.CardActivityId[i]!, Log.CardJson[i]!);
        });
    }

    /// <summary>Waits until every run has sent its summary; false at the timeout.</summary>
    public Task<bool> WaitForSummariesAsync(TimeSpan timeout) =>
        Log.WaitAsync(l => l.Summaries >= l.Cards, timeout, CancellationToken.None);
}
