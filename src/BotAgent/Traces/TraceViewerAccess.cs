using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace BotAgent.Traces;

/// <summary>
/// Who may read the trace pages: traces hold goals, arguments and tool output, so they stay off the network
/// unless a token is configured. Entra ID group membership is not implemented (see the README).
/// </summary>
public static class TraceViewerAccess
{
    public static TraceAccess Check(HttpContext context, TraceViewerOptions options) => Check(
        context.Connection.RemoteIpAddress,
        Channels.LocalCaller.IsProxied(context),
        context.Request.Headers.Authorization.ToString(),
        options);

    /// <param name="remote">The connection's peer; null (no IP transport) counts as remote.</param>
    /// <param name="proxied">The request came through a proxy, so its connection says nothing about the caller.</param>
    public static TraceAccess Check(IPAddress? remote, bool proxied, string? authorization, TraceViewerOptions options)
    {
        if (Channels.LocalCaller.IsLocal(remote, proxied))
            return TraceAccess.Allowed;
        if (options.DangerouslyAllowRemoteWithoutToken)
            return TraceAccess.Allowed;
        if (string.IsNullOrEmpty(options.AccessToken))
            return TraceAccess.Forbidden;
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return TraceAccess.Unauthorized;
        return TokenMatches(authorization[scheme.Length..].Trim(), options.AccessToken) ? TraceAccess.Allowed : TraceAccess.Unauthorized;
    }

    /// <summary>Constant time in the token's content and length: both sides are hashed to the same size first.</summary>
    private static bool TokenMatches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
