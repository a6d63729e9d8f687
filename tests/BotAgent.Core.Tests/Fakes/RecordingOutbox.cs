using BotAgent.Core.Reporting;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>
/// An outbox that only keeps what was enqueued: what the reporter asked to be said, in order. Its backlog is whatever a
/// test sets, and it counts how often it was asked.
/// </summary>
internal sealed class RecordingOutbox : IOutbox
{
    private readonly List<OutboundMessage> _messages = [];
    private int _backlogCounts;

    public long Backlog { get; set; }

    /// <summary>Thrown instead of answering the count, while set.</summary>
    public Exception? BacklogFailure { get; set; }

    public int BacklogCounts => Volatile.Read(ref _backlogCounts);

    public IReadOnlyList<OutboundMessage> Messages
    {
        get
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    public Task EnqueueAsync(OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_messages)
            _messages.Add(message);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutboxItem>>([]);

    /// <summary>Thrown instead of recording a message as sent, while set (a store that cannot take the channel's answer).</summary>
    public Exception? MarkSentFailure { get; set; }

    public int MarkSentCalls { get; private set; }

    public int RetryLaterCalls { get; private set; }

    public Task MarkSentAsync(long id, string? activityId, string? fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        MarkSentCalls++;
        return MarkSentFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task MarkAmbiguousAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task MarkFailedAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken)
    {
        RetryLaterCalls++;
        return Task.CompletedTask;
    }

    public Task SendAgainAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeferAsync(long id, DateTimeOffset dueAt, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> RecoverAsync(DateTimeOffset now, bool all, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task<long> CountBacklogAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _backlogCounts);
        return BacklogFailure is { } failure ? Task.FromException<long>(failure) : Task.FromResult(Backlog);
    }
}
