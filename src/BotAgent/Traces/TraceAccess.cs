namespace BotAgent.Traces;

/// <summary>What <see cref="TraceViewerAccess"/> decided about a caller.</summary>
public enum TraceAccess
{
    Allowed,

    /// <summary>A token would let the caller in, and it sent none or a wrong one (401).</summary>
    Unauthorized,

    /// <summary>No token is configured, so nobody off this machine may look (403).</summary>
    Forbidden,
}
