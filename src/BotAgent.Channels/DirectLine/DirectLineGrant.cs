namespace BotAgent.Channels.DirectLine;

/// <summary>What a Direct Line token lets its holder do: one conversation, as one person (or, when minted with the secret or
/// on this machine without naming anyone, as whoever it says), until it expires.</summary>
/// <param name="UserId">The only <c>from.id</c> the holder may post as; null: any.</param>
/// <param name="SignedIn">The bot issued it to a person who signed in (the /chat page): the id is their Entra user name.</param>
/// <param name="Purpose"><see cref="Conversation"/> for the REST calls, <see cref="Stream"/> for one WebSocket URL.</param>
/// <param name="NotAfter">
/// The end of the session the first token began, carried through refreshes (<c>DirectLine:SessionLifetime</c>): no token
/// of it lives past this, so a refresh never outlasts the sign-in or the site that vouched for the person.
/// </param>
public sealed record DirectLineGrant(string ConversationId, string? UserId, string? UserName, bool SignedIn, DateTimeOffset ExpiresAt, string Purpose, DateTimeOffset NotAfter)
{
    public const string Conversation = "conversation";
    public const string Stream = "stream";
}
