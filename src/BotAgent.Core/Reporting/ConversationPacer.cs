using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Reporting;

/// <summary>
/// Keeps sends to one conversation at least <see cref="OutboxOptions.MinIntervalPerConversation"/> apart, counted from
/// when a send starts: a rate limiter partitioned by the conversation's ordering key. A message that has to wait goes
/// back to the store (waiting here would hold a delivery slot and keep it leased); the pacer remembers when the earliest
/// of them falls due, so the dispatcher wakes then rather than at its next poll.
/// </summary>
internal sealed class ConversationPacer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string> _limiter;

    // When messages put back to wait out their conversation's pacing fall due (UTC ticks).
    private readonly PriorityQueue<long, long> _dueAgain = new();

    public ConversationPacer(TimeProvider time, IOptions<OutboxOptions> options)
    {
        _time = time;
        var interval = options.Value.MinIntervalPerConversation;
        // The partitioned limiter drops a conversation's limiter once its permit has been free for a while, so memory
        // stays bounded without forgetting a conversation that is still being paced.
        _limiter = PartitionedRateLimiter.Create<string, string>(conversation => interval > TimeSpan.Zero
            ? RateLimitPartition.Get(conversation, _ => new IntervalRateLimiter(interval, time))
            : RateLimitPartition.GetNoLimiter(conversation), StringComparer.Ordinal);
    }

    /// <summary>
    /// Null when the conversation may be sent to now; otherwise when it may, which <see cref="UntilNextDue"/> then
    /// counts with.
    /// </summary>
    public DateTimeOffset? HeldUntil(string conversation)
    {
        using var probe = _limiter.AttemptAcquire(conversation, permitCount: 0);
        if (probe.IsAcquired || !probe.TryGetMetadata(MetadataName.RetryAfter, out var wait))
            return null;
        var due = _time.GetUtcNow() + wait;
        lock (_dueAgain)
            _dueAgain.Enqueue(due.UtcTicks, due.UtcTicks);
        return due;
    }

    /// <summary>A send to the conversation starts now: the next one waits the interval from here.</summary>
    public void Sending(string conversation)
    {
        // Only one message of a conversation is in flight (the store hands out each conversation's head only), so the
        // permit HeldUntil found free is still free; a send goes ahead regardless.
        _limiter.AttemptAcquire(conversation).Dispose();
    }

    /// <summary>An idle wait: until the next message put back by pacing falls due, at most <paramref name="longest"/>.</summary>
    public TimeSpan UntilNextDue(TimeSpan longest)
    {
        var now = _time.GetUtcNow().UtcTicks;
        lock (_dueAgain)
        {
            while (_dueAgain.TryPeek(out _, out var due) && due <= now)
                _dueAgain.Dequeue();
            if (!_dueAgain.TryPeek(out _, out var next))
                return longest;
            // A millisecond past the due time, so the claim that follows finds the message due.
            var until = TimeSpan.FromTicks(next - now) + TimeSpan.FromMilliseconds(1);
            return until < longest ? until : longest;
        }
    }

    public void Dispose() => _limiter.Dispose();
}
