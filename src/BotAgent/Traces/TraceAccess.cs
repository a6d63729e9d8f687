namespace BotAgent.Traces;

/// <summary>What <see cref="TraceViewerAccess"/> decided about a caller.</summary>
public enum TraceAccess
{
    Allowed,

    /// <summary>A bearer token would let the caller in, and it sent none or one that is wrong, expired or not for us (401).</summary>
    Unauthorized,

    /// <summary>Nothing configured lets this caller in: no token, no sign-in, and not local (403).</summary>
    Forbidden,

    /// <summary>Sign-in with Entra ID would let the caller in, and it has not signed in (a page redirects to sign-in).</summary>
    SignInRequired,

    /// <summary>Signed in (or a valid Entra token), but in none of the allowed groups or app roles (403).</summary>
    NotMember,
}
