namespace BotAgent.Core.Reporting;

/// <summary>
/// Storage port for conversations the bot hosts itself (Direct Line): each conversation is an append-only list of
/// activities, numbered from 1 in the order they were appended, so a client that says how far it has read (its
/// watermark) gets exactly what came after, across reconnects, restarts and instances.
/// </summary>
public interface IConversationLog
{
    /// <summary>Records a new conversation; false when one with this id exists already.</summary>
    Task<bool> StartAsync(string conversationId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one entry under the next number (creating the conversation when it does not exist yet) and returns it.
    /// <paramref name="payload"/> is given the number, so an entry can carry its own position.
    /// </summary>
    /// <param name="recipientId">Shown only to this person; null for everyone in the conversation.</param>
    Task<LoggedActivity> AppendAsync(string conversationId, string? recipientId, Func<long, string> payload, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Entries after <paramref name="after"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<LoggedActivity>> ReadAsync(string conversationId, long after, int max, CancellationToken cancellationToken);
}

/// <param name="Sequence">The entry's number in its conversation (1, 2, …): a watermark names the last one read.</param>
public sealed record LoggedActivity(string ConversationId, long Sequence, string? RecipientId, string Payload, DateTimeOffset At);
