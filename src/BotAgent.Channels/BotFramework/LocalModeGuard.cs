using System.Net;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// What local mode (no <c>MicrosoftAppId</c>, nothing to check a token against) demands of a request instead: it
/// comes from this machine and not from a web page in the developer's browser. A page can post cross-site with
/// <c>fetch(…, {mode: "no-cors"})</c>, but only as <c>text/plain</c> and only with an <c>Origin</c> header, and a
/// DNS-rebinding page carries its own host name; the Emulator and the Agents Playground post JSON from a process,
/// to a loopback name, with a loopback <c>serviceUrl</c>.
/// </summary>
internal static class LocalModeGuard
{
    /// <summary>The request itself: its content type, its origin, its host and its peer. Null when it may go on.</summary>
    public static IResult? CheckRequest(HttpContext context, BotFrameworkOptions options)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Activities are JSON: send Content-Type: application/json.");
        // A browser adds Origin to every cross-site request (and to same-site POSTs); the bot's local callers are not browsers.
        if (request.Headers.Origin.Count > 0)
            return Refuse(StatusCodes.Status403Forbidden, "Forbidden", "This bot runs in local mode and does not accept requests from web pages (an Origin header was sent).");
        if (options.DangerouslyAllowRemoteUnauthenticated)
            return null;
        if (!IsLoopbackHost(request.Host))
            return Refuse(StatusCodes.Status403Forbidden, "Forbidden", "This bot runs in local mode and answers only when addressed by a loopback name (localhost, 127.0.0.1, [::1]).");
        if (!LocalCaller.IsLocal(context))
            return Refuse(StatusCodes.Status403Forbidden, "Forbidden", "This bot runs in local mode (no MicrosoftAppId) and accepts only callers on this machine.");
        return null;
    }

    /// <summary>The activity's <c>serviceUrl</c>: where the bot will post its answers. Null when it may go on.</summary>
    public static IResult? CheckServiceUrl(Activity activity, BotFrameworkOptions options)
    {
        if (options.DangerouslyAllowRemoteUnauthenticated || activity.ServiceUrl is null)
            return null;
        return Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var url) && IsLoopbackHost(url.Host)
            ? null
            : Refuse(StatusCodes.Status400BadRequest, "Bad activity",
                "In local mode the bot answers only to a serviceUrl on this machine (http://localhost:…), not to wherever an activity says.");
    }

    public static bool IsLoopbackHost(HostString host) => host.HasValue && IsLoopbackHost(host.Host);

    public static bool IsLoopbackHost(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.');
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.Split(';')[0].Trim() is var media)
        && (string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    private static IResult Refuse(int status, string title, string detail) => Results.Problem(title: title, detail: detail, statusCode: status);
}
