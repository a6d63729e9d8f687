namespace BotAgent.Testing;

/// <summary>How <see cref="SlackRequests"/> signs a request: as Slack does, or forged in one of the ways an attacker might.</summary>
public enum SlackSigning
{
    Valid,

    /// <summary>No signature or timestamp headers at all.</summary>
    None,

    /// <summary>Signed with another secret.</summary>
    WrongSecret,

    /// <summary>Correctly signed, six minutes ago (a replay).</summary>
    Stale,

    /// <summary>Correctly signed, six minutes ahead.</summary>
    Future,

    /// <summary>Signed, then the body changed.</summary>
    Tampered,
}
