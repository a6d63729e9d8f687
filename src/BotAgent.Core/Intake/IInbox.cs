namespace BotAgent.Core.Intake;

/// <summary>Storage port for the durable inbox: what was accepted is processed even after a restart.</summary>
public interface IInbox
{
    /// <summary>Stores the item unless one with the same dedupe key exists.</summary>
    /// <param name="processed">Store it as already processed (handled inline, kept only for de-duplication).</param>
    /// <returns>False for a duplicate: nothing was stored.</returns>
    Task<bool> TryAcceptAsync(string adapter, string dedupeKey, string orderingKey, string payload, DateTimeOffset receivedAt, bool processed, CancellationToken cancellationToken);

    /// <summary>Takes up to <paramref name="max"/> pending items, oldest first, and marks them in progress.</summary>
    Task<IReadOnlyList<InboundItem>> ClaimAsync(int max, CancellationToken cancellationToken);

    Task CompleteAsync(long id, CancellationToken cancellationToken);

    Task FailAsync(long id, string error, CancellationToken cancellationToken);
}
