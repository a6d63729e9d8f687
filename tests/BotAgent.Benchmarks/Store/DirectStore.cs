using System.Diagnostics;
using BotAgent.Benchmarks.Load;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Storage;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Store;

/// <summary>
/// The bot's own storage classes, composed as the host composes them, in the suite's process on a store file that no
/// bot has open: its statements timed without the rest of the bot around them.
/// </summary>
internal sealed class DirectStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public DirectStore(string path)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={path}" })
            .Build();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddBotAgentStorage(configuration)
            .BuildServiceProvider();
    }

    /// <summary>
    /// The inbox claim (<c>InboxStore.ClaimAsync</c>) as the inbox worker calls it: one new pending item in its own
    /// conversation, claimed alone and completed, <paramref name="count"/> times after <paramref name="warmup"/>.
    /// </summary>
    public async Task<LatencyHistogram> InboxClaimsAsync(int warmup, int count)
    {
        var inbox = _services.GetRequiredService<IInbox>();
        var latency = new LatencyHistogram();
        for (var i = 0; i < warmup + count; i++)
        {
            var now = TimeProvider.System.GetUtcNow();
            await inbox.TryAcceptAsync("botframework", $"bench-claim:{i}:{now.Ticks}", $"bench-claim:{i}:{now.Ticks}", "{}", now, processed: false, CancellationToken.None);
            var started = Stopwatch.GetTimestamp();
            var claimed = await inbox.ClaimAsync("bench", 1, now, now.AddSeconds(30), CancellationToken.None);
            if (i >= warmup)
                latency.RecordTicks(Stopwatch.GetTimestamp() - started);
            if (claimed.Count != 1)
                throw new InvalidOperationException($"The inbox claim took {claimed.Count} items where one was pending.");
            await inbox.CompleteAsync(claimed[0].Id, "bench", CancellationToken.None);
        }
        return latency;
    }

    /// <summary>
    /// The outbox claim (<c>OutboxStore.ClaimDueAsync</c>) as the dispatcher calls it, for what a plan card sends: a new
    /// card posted, then its update, each claimed (with what the claim looks up about earlier messages of its key) and
    /// marked sent, <paramref name="count"/> times after <paramref name="warmup"/>. The posts' claims and the updates' apart.
    /// </summary>
    public async Task<(LatencyHistogram Posts, LatencyHistogram Updates)> OutboxClaimsAsync(int warmup, int count)
    {
        var outbox = _services.GetRequiredService<IOutbox>();
        var (posts, updates) = (new LatencyHistogram(), new LatencyHistogram());
        for (var i = 0; i < warmup + count; i++)
        {
            var key = $"bench-outbox-{i}-{TimeProvider.System.GetUtcNow().Ticks}";
            var conversation = new ConversationKey("botframework", "emulator", key, null, null);
            foreach (var kind in new[] { OutboundKind.Post, OutboundKind.Update })
            {
                var now = TimeProvider.System.GetUtcNow();
                var message = new OutboundMessage(null, conversation, kind, "card:" + key, new NoticeView("Plan awaiting approval", [], NoticeTone.Info));
                await outbox.EnqueueAsync(message, now, CancellationToken.None);
                var started = Stopwatch.GetTimestamp();
                var claimed = await outbox.ClaimDueAsync("bench", 16, now, now.AddSeconds(30), CancellationToken.None);
                if (i >= warmup)
                    (kind == OutboundKind.Post ? posts : updates).RecordTicks(Stopwatch.GetTimestamp() - started);
                if (claimed.Count != 1)
                    throw new InvalidOperationException($"The outbox claim took {claimed.Count} messages where one was due.");
                await outbox.MarkSentAsync(claimed[0].Id, "m-" + key, null, now, CancellationToken.None);
            }
        }
        return (posts, updates);
    }

    /// <summary>
    /// The outbox dispatcher's lease recovery (<c>OutboxStore.RecoverAsync</c>, not at start: messages another instance
    /// was sending when it died), which it runs every second: <paramref name="count"/> times, or as many as fit in
    /// <paramref name="budget"/>, after one untimed.
    /// </summary>
    public async Task<LatencyHistogram> OutboxRecoveriesAsync(int count, TimeSpan budget)
    {
        var outbox = _services.GetRequiredService<IOutbox>();
        var latency = new LatencyHistogram();
        await outbox.RecoverAsync(TimeProvider.System.GetUtcNow(), all: false, CancellationToken.None);
        var begun = Stopwatch.GetTimestamp();
        for (var i = 0; i < count && Stopwatch.GetElapsedTime(begun) < budget; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await outbox.RecoverAsync(TimeProvider.System.GetUtcNow(), all: false, CancellationToken.None);
            latency.RecordTicks(Stopwatch.GetTimestamp() - started);
        }
        return latency;
    }

    /// <summary>
    /// One pass of the retention service (<c>RunStore.DeleteFinishedBeforeAsync</c>) that deletes what ended before
    /// <paramref name="cutoff"/>: the runs it deleted, how long it held the writer, and the bytes it freed inside the
    /// file (SQLite keeps freed pages for reuse; the file does not shrink).
    /// </summary>
    public async Task<(int Runs, TimeSpan Took, long FreedBytes)> RetentionPassAsync(DateTimeOffset cutoff, string path)
    {
        var runs = _services.GetRequiredService<RunStore>();
        var before = FreeBytes(path);
        var started = Stopwatch.GetTimestamp();
        var deleted = await runs.DeleteFinishedBeforeAsync(cutoff, CancellationToken.None);
        var took = Stopwatch.GetElapsedTime(started);
        return (deleted, took, FreeBytes(path) - before);
    }

    private static long FreeBytes(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT freelist_count FROM pragma_freelist_count) * (SELECT page_size FROM pragma_page_size);";
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
