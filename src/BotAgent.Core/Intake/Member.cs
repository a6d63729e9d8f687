namespace BotAgent.Core.Intake;

/// <summary>A person (or bot) in a conversation, as the channel identifies them.</summary>
/// <param name="Id">The channel's user id (Teams <c>29:…</c>, Slack <c>U…</c>, Emulator GUID).</param>
/// <param name="Name">Display name, for cards only; never used for authorisation.</param>
/// <param name="AadObjectId">Entra ID object id where the channel gives one (Teams).</param>
/// <param name="Email">E-mail address where the channel vouches for one (Slack's <c>users.info</c>); roles may name people by it.</param>
/// <param name="ProvenBy">
/// Who vouches for <see cref="Id"/>: <c>msteams</c>, <c>emulator</c> (a channel whose tokens, or local mode, keep
/// strangers out), <c>slack:&lt;team id&gt;</c>. Null for channels whose client chooses the id itself (Web Chat,
/// Direct Line): such a person matches no configured approver or role member.
/// </param>
public sealed record Member(string Id, string Name, string? AadObjectId = null, string? Email = null, string? ProvenBy = null)
{
    /// <summary>True when <paramref name="identifier"/> (a configured approver or role member) names this member, where it was proven.</summary>
    public bool IsIdentifiedBy(string identifier) => Approvals.ApproverEntry.Parse(identifier).Matches(this);
}
