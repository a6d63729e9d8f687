namespace BotAgent.Core.Intake;

/// <summary>A person (or bot) in a conversation, as the channel identifies them.</summary>
/// <param name="Id">The channel's user id (Teams <c>29:…</c>, Slack <c>U…</c>, Emulator GUID).</param>
/// <param name="Name">Display name, for cards only; never used for authorisation.</param>
/// <param name="AadObjectId">Entra ID object id where the channel gives one (Teams).</param>
/// <param name="Email">E-mail address where the channel gives one; roles may name people by it.</param>
public sealed record Member(string Id, string Name, string? AadObjectId = null, string? Email = null)
{
    /// <summary>True when <paramref name="identifier"/> names this member by channel id, AAD object id or e-mail.</summary>
    public bool IsIdentifiedBy(string identifier) =>
        string.Equals(identifier, Id, StringComparison.OrdinalIgnoreCase)
        || (AadObjectId is not null && string.Equals(identifier, AadObjectId, StringComparison.OrdinalIgnoreCase))
        || (Email is not null && string.Equals(identifier, Email, StringComparison.OrdinalIgnoreCase));
}
