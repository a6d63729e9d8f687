using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotAgent.Traces;

/// <summary>
/// Who may read the trace pages. Traces hold goals, arguments and tool output, so they stay off the network
/// unless the operator lets people in: callers on this machine (<see cref="TraceLoopbackAccess"/>), the
/// <c>Traces:AccessToken</c> bearer, or Entra ID (a sign-in cookie or bearer token with an allowed group or role).
/// </summary>
public sealed class TraceViewerAccess(IOptions<TraceViewerOptions> options, TraceLoopbackAccess loopback)
{
    private const string Bearer = "Bearer ";

    public async Task<TraceAccess> CheckAsync(HttpContext context)
    {
        var settings = options.Value;
        var authorization = context.Request.Headers.Authorization.ToString();
        var access = Check(loopback.Admits(context), authorization, settings);
        if (access == TraceAccess.Allowed || !settings.Entra.IsEnabled)
            return access;
        if (authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return await EntraAsync(context, TraceAuthentication.BearerScheme, settings.Entra) ?? TraceAccess.Unauthorized;
        return await EntraAsync(context, TraceAuthentication.CookieScheme, settings.Entra) ?? TraceAccess.SignInRequired;
    }

    /// <summary>Everything but Entra ID: the caller is local, the switch is on, or it sent the configured token.</summary>
    /// <param name="local">The caller is on this machine and loopback access is on.</param>
    public static TraceAccess Check(bool local, string? authorization, TraceViewerOptions options)
    {
        if (local || options.DangerouslyAllowRemoteWithoutToken)
            return TraceAccess.Allowed;
        if (string.IsNullOrEmpty(options.AccessToken))
            return TraceAccess.Forbidden;
        if (authorization is null || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return TraceAccess.Unauthorized;
        return TokenMatches(authorization[Bearer.Length..].Trim(), options.AccessToken) ? TraceAccess.Allowed : TraceAccess.Unauthorized;
    }

    /// <summary>Null when the scheme found no valid credential; the caller is then <see cref="HttpContext.User"/>.</summary>
    private static async Task<TraceAccess?> EntraAsync(HttpContext context, string scheme, TraceEntraOptions entra)
    {
        var result = await context.AuthenticateAsync(scheme);
        if (!result.Succeeded)
            return null;
        context.User = result.Principal;
        return EntraMembership.Allows(result.Principal, entra) ? TraceAccess.Allowed : TraceAccess.NotMember;
    }

    /// <summary>Constant time in the token's content and length: both sides are hashed to the same size first.</summary>
    private static bool TokenMatches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
