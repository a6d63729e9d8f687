namespace BotAgent.Core.Reporting;

/// <summary>
/// Storage port for the durable outbox: every message the bot sends is written here first and
/// delivered by the dispatcher, so a channel outage or a restart loses nothing.
/// </summary>
public interface IOutbox
{
    /// <summary>
    /// Stores the message. A post with a <see cref="OutboundMessage.MessageKey"/> is stored once (enqueuing
    /// it again, e.g. on a resumed run, does nothing). An update supersedes pending updates of the same
    /// message: only the latest state matters.
    /// </summary>
    Task EnqueueAsync(OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes due messages, at most one per conversation and always the oldest undelivered one of that
    /// conversation, so messages to one conversation are delivered in order. They are leased to <paramref name="owner"/>.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <param name="fingerprint">
    /// For updates: a hash of the view that was sent; claims of later updates of the same message carry the last one
    /// as <see cref="OutboxItem.LastSentFingerprint"/>.
    /// </param>
    Task MarkSentAsync(long id, string? messageId, string? fingerprint, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The channel may or may not have taken it: never re-sent blindly.</summary>
    Task MarkAmbiguousAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken);

    Task MarkFailedAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken);

    Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="RetryLaterAsync"/> for a post whose attempt may have reached the channel: it is sent again and
    /// claimed with <see cref="OutboxItem.MayHaveArrived"/>, so the copy can say so. Only for what must be seen (a plan
    /// card, a goal's only answer): anything else that may have arrived is recorded ambiguous and never re-sent blindly.
    /// </summary>
    Task SendAgainAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a claimed message back, due at <paramref name="dueAt"/>, without counting an attempt (it was not sent):
    /// it stays the head of its conversation, so nothing after it goes first.
    /// </summary>
    Task DeferAsync(long id, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>
    /// Messages whose sender died mid-send (lease expired): an update is sent again (it is idempotent);
    /// a post may have reached the channel, so it is marked ambiguous, never re-posted, except one that must arrive
    /// (a plan card or a goal's only answer, <see cref="Reporter.MustArrive"/>), which is sent again.
    /// </summary>
    /// <param name="all">Treat every message being sent as orphaned (one-instance databases, at start).</param>
    Task<int> RecoverAsync(DateTimeOffset now, bool all, CancellationToken cancellationToken);

    /// <summary>Messages not yet delivered: waiting (due or not) or being sent, whichever instance sends them.</summary>
    Task<long> CountBacklogAsync(CancellationToken cancellationToken);
}
