using System.Security.Cryptography;
using System.Text;
using BotAgent.Channels.BotFramework;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// The filter in front of every Direct Line REST call: no web page of another site (its requests carry its
/// <c>Origin</c>), nobody off this machine in local mode, then who the caller is: the secret's holder, a token's holder,
/// or (local mode, no token) this machine. A refusal says what to do, never what was presented.
/// </summary>
internal sealed class DirectLineGuard(IOptions<DirectLineOptions> options, DirectLineTokens tokens, ILoggerFactory loggers) : IEndpointFilter
{
    private const string Bearer = "Bearer ";
    private static readonly object Key = new();
    private readonly ILogger _log = loggers.CreateLogger("BotAgent.Channels.DirectLine");

    public static DirectLineCaller Of(HttpContext context) => (DirectLineCaller)context.Items[Key]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (Refusal(context, options.Value, _log) is { } refused)
            return refused;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            if (!options.Value.IsLocalMode)
                return Refuse(context, _log, StatusCodes.Status401Unauthorized, "no Authorization header",
                    "Direct Line calls need 'Authorization: Bearer <secret or token>'.");
            context.Items[Key] = new DirectLineCaller(DirectLineCallerKind.Local, null, null);
            return await next(invocation);
        }
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return Refuse(context, _log, StatusCodes.Status401Unauthorized, "an Authorization header that is not a bearer", "Send 'Authorization: Bearer <secret or token>'.");
        var presented = authorization[Bearer.Length..].Trim();
        if (options.Value.Secret is { Length: > 0 } secret && Same(presented, secret))
        {
            context.Items[Key] = new DirectLineCaller(DirectLineCallerKind.Secret, null, null);
            return await next(invocation);
        }
        // 403 for a bad or expired token, as Direct Line answers: DirectLineJS then knows to get a new one.
        var grant = tokens.Read(presented, DirectLineGrant.Conversation, out var problem);
        if (grant is null && problem == DirectLineTokens.SessionEnded)
            return Refuse(context, _log, StatusCodes.Status403Forbidden, problem,
                "This Direct Line session has ended (DirectLine:SessionLifetime): refreshing cannot extend it. Get a new token (on /chat, open the page again to sign in).");
        if (grant is null)
            return Refuse(context, _log, StatusCodes.Status403Forbidden, problem!, "The token is not valid here (expired, altered, or not a Direct Line token of this bot): get a new one.");
        context.Items[Key] = new DirectLineCaller(DirectLineCallerKind.Token, grant, presented);
        return await next(invocation);
    }

    /// <summary>What every Direct Line request, the stream's included, must be: null when it may go on.</summary>
    public static IResult? Refusal(HttpContext context, DirectLineOptions options, ILogger log)
    {
        var request = context.Request;
        if (request.Headers.Origin.ToString() is { Length: > 0 } origin && !options.IsOwnOrigin(request, origin))
        {
            return Refuse(context, log, StatusCodes.Status403Forbidden, "a request from a web page of another site",
                "This Direct Line endpoint answers its own /chat page and programs, not web pages of other sites.");
        }
        if (options.IsLocalMode && !(LocalCaller.IsLocal(context) && LocalModeGuard.IsLoopbackHost(request.Host)))
        {
            return Refuse(context, log, StatusCodes.Status403Forbidden, "local mode, a caller not on this machine",
                "This bot's Direct Line runs in local mode (no DirectLine:Secret) and answers only on this machine, at http://localhost. Set DirectLine:Secret to let others in.");
        }
        return null;
    }

    public static IResult Refuse(HttpContext context, ILogger log, int status, string reason, string detail)
    {
        log.DirectLineRefused(context.Request.Path, reason);
        return Results.Problem(statusCode: status, title: status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden", detail: detail);
    }

    /// <summary>Constant time in the content and length of both.</summary>
    private static bool Same(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
