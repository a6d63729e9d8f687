namespace BotAgent.Core.Intake;

/// <summary>Storage port for the durable inbox: what was accepted is processed even after a restart.</summary>
public interface IInbox
{
    /// <summary>Stores the item unless one with the same dedupe key exists (across instances).</summary>
    /// <param name="processed">Store it as already processed (handled inline, kept only for de-duplication).</param>
    /// <returns>False for a duplicate: nothing was stored.</returns>
    Task<bool> TryAcceptAsync(string adapter, string dedupeKey, string orderingKey, string payload, DateTimeOffset receivedAt, bool processed, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="max"/> items, oldest first: pending ones, and ones a dead instance
    /// left in progress (lease expired). They are leased to <paramref name="owner"/>.
    /// </summary>
    Task<IReadOnlyList<InboundItem>> ClaimAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    // Each way of ending a claim acts only while <paramref name="owner"/> still holds the item's lease: an instance that
    // stalled past its lease, while another took the item over, must not finish, fail or hand back the other's work.

    /// <summary>Marks the item processed, if <paramref name="owner"/> still holds it.</summary>
    Task CompleteAsync(long id, string owner, CancellationToken cancellationToken);

    /// <summary>Marks the item failed for good, if <paramref name="owner"/> still holds it.</summary>
    Task FailAsync(long id, string owner, string error, CancellationToken cancellationToken);

    /// <summary>Puts a claimed item back to be processed again (a transient failure while handling it), if <paramref name="owner"/> still holds it.</summary>
    Task RetryAsync(long id, string owner, string error, CancellationToken cancellationToken);

    /// <summary>Hands a claimed item back untouched (no attempt counted), to be claimed again in its turn, if <paramref name="owner"/> still holds it.</summary>
    Task ReleaseAsync(long id, string owner, CancellationToken cancellationToken);

    /// <summary>Expires every lease (one-instance databases, at start).</summary>
    Task<int> ReleaseAllAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Extends the leases <paramref name="owner"/> still holds on these items; returns how many it still held.</summary>
    Task<int> RenewAsync(string owner, IReadOnlyCollection<long> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken);
}
