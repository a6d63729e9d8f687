namespace BotAgent.Channels.DirectLine;

internal enum DirectLineCallerKind
{
    /// <summary>Presented <c>DirectLine:Secret</c>: any conversation, as anyone.</summary>
    Secret,

    /// <summary>Presented a token: its conversation, as its person.</summary>
    Token,

    /// <summary>Local mode, on this machine, no token: trusted as the machine is.</summary>
    Local,
}

/// <summary>Who is calling the Direct Line endpoint, as its credentials prove.</summary>
internal sealed record DirectLineCaller(DirectLineCallerKind Kind, DirectLineGrant? Grant, string? Token)
{
    public bool MayUse(string conversationId) =>
        Kind != DirectLineCallerKind.Token || string.Equals(Grant!.ConversationId, conversationId, StringComparison.Ordinal);

    /// <summary>The only sender this caller may post as; null: anyone.</summary>
    public string? BoundUser => Grant?.UserId;

    /// <summary>A caller that may open conversations and mint tokens (not a token holder).</summary>
    public bool IsTrusted => Kind != DirectLineCallerKind.Token;
}
