using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.BotFramework.Authentication;

/// <summary>
/// The Bot Framework's inbound authentication as an ASP.NET Core scheme, so <c>/api/messages</c> simply requires it: a
/// valid Bearer token from a channel or from Entra ID, or, in local mode (no app id, nothing to check a token against),
/// no token at all. What the token says the activity must match (channel, <c>serviceurl</c>) is checked once the body
/// is read, by <see cref="CallerFilter"/>. A refusal is a bare 401; why goes to the log only.
/// </summary>
internal sealed class BotFrameworkAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    IOptions<BotFrameworkOptions> bot) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggers, encoder)
{
    public const string SchemeName = "BotFramework";
    public const string Policy = "BotFramework";

    private const string VouchedByClaim = "botagent:vouched_by";
    private const string ServiceUrlClaim = "serviceurl";
    private const string EndorsesClaim = "botagent:endorses";

    private readonly ILogger _log = loggers.CreateLogger("BotAgent.Channels.BotFramework");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.FirstOrDefault();
        if (bot.Value.IsLocalMode)
        {
            // Local mode has nothing to validate a token against: a caller that sends one expects checks we cannot make.
            return authorization is null
                ? Success(new TokenVerdict(null, InboundVoucher.Local))
                : AuthenticateResult.Fail("a token was sent but the bot has no MicrosoftAppId (local mode)");
        }
        if (authorization is null)
            return AuthenticateResult.Fail("no Authorization header");
        // Resolved only with an app id: in local mode the validator (OpenID metadata, signing keys) is never built.
        var verdict = await Context.RequestServices.GetRequiredService<BotTokenValidator>().ValidateAsync(authorization, Context.RequestAborted);
        return verdict.Refusal is { } refusal ? AuthenticateResult.Fail(refusal) : Success(verdict);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        _log.Unauthenticated(result.Failure?.Message ?? "not authenticated");
        await Results.Problem(title: "Unauthorized", statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    /// <summary>What vouched for the request, as the scheme found it.</summary>
    public static TokenVerdict VerdictOf(ClaimsPrincipal user) => new(
        null,
        user.FindFirst(VouchedByClaim)?.Value,
        user.FindFirst(ServiceUrlClaim)?.Value,
        [.. user.FindAll(EndorsesClaim).Select(c => c.Value)]);

    private static AuthenticateResult Success(TokenVerdict verdict)
    {
        var claims = new List<Claim> { new(VouchedByClaim, verdict.VouchedBy!) };
        if (verdict.ServiceUrl is { } serviceUrl)
            claims.Add(new Claim(ServiceUrlClaim, serviceUrl));
        claims.AddRange((verdict.Endorsements ?? []).Select(channel => new Claim(EndorsesClaim, channel)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
