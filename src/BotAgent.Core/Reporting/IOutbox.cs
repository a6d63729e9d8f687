namespace BotAgent.Core.Reporting;

/// <summary>
/// Storage port for the durable outbox: every message the bot sends is written here first and
/// delivered by the dispatcher, so a channel outage or a restart loses nothing.
/// </summary>
public interface IOutbox
{
    /// <summary>Stores the message. An update supersedes pending updates of the same message (only the latest state matters).</summary>
    Task EnqueueAsync(OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes due messages, at most one per conversation and always the oldest undelivered one of that
    /// conversation, so messages to one conversation are delivered in order.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(int max, DateTimeOffset now, CancellationToken cancellationToken);

    Task MarkSentAsync(long id, string? activityId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The channel may or may not have taken it: never re-sent blindly.</summary>
    Task MarkAmbiguousAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken);

    Task MarkFailedAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken);

    Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken);
}
