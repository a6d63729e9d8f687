using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace BotAgent.Traces;

/// <summary>
/// Signing in to the trace pages: OpenID Connect with Entra ID (authorization code flow with PKCE) ending in a
/// short-lived cookie, for people; Entra bearer tokens, for scripts. No scheme is a default: only the trace
/// guard asks them, so the Bot Framework and Slack endpoints (which check their own credentials) are untouched.
/// </summary>
internal static class TraceAuthentication
{
    public const string CookieScheme = "Traces.Cookie";
    public const string SignInScheme = "Traces.Entra";
    public const string BearerScheme = "Traces.EntraBearer";
    public const string CookieName = "BotAgent.Traces";

    /// <summary>Where Entra sends people back: register <c>{the bot's address}/signin-oidc</c> as a Web redirect URI.</summary>
    public const string CallbackPath = "/signin-oidc";

    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(8);

    public static IServiceCollection AddTraceAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        // Registered even without Entra, so that UseAuthentication finds its services; with no scheme it does nothing.
        var authentication = services.AddAuthentication();
        var entra = configuration.GetSection(TraceEntraOptions.Section).Get<TraceEntraOptions>() ?? new TraceEntraOptions();
        if (!configuration.GetValue($"{TraceViewerOptions.Section}:Enabled", true) || !entra.IsEnabled)
            return services;
        authentication
            .AddCookie(CookieScheme, ConfigureCookie)
            .AddOpenIdConnect(SignInScheme, options => ConfigureSignIn(options, entra))
            .AddJwtBearer(BearerScheme, options => ConfigureBearer(options, entra));
        return services;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        // Absolute, not sliding: someone removed from the group loses access within a working day.
        options.ExpireTimeSpan = CookieLifetime;
        options.SlidingExpiration = false;
    }

    private static void ConfigureSignIn(OpenIdConnectOptions options, TraceEntraOptions entra)
    {
        options.Authority = entra.Authority;
        options.RequireHttpsMetadata = entra.IsHttps;
        options.ClientId = entra.ClientId?.Trim();
        options.ClientSecret = entra.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        // The code comes back in the query of a top-level GET, so the correlation and nonce cookies can be
        // SameSite=Lax (and, on plain http on loopback, not Secure); form_post would need SameSite=None.
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.CallbackPath = CallbackPath;
        options.SignInScheme = CookieScheme;
        options.MapInboundClaims = false;
        options.SaveTokens = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.TokenValidationParameters.NameClaimType = "name";
        options.TokenValidationParameters.RoleClaimType = EntraMembership.RolesClaim;
        foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
        options.Events.OnRemoteFailure = SignInFailedAsync;
    }

    private static void ConfigureBearer(JwtBearerOptions options, TraceEntraOptions entra)
    {
        options.Authority = entra.Authority;
        options.RequireHttpsMetadata = entra.IsHttps;
        options.MapInboundClaims = false;
        options.TokenValidationParameters.ValidAudiences = entra.Audiences;
        // The metadata's issuer (v2.0 tokens) is always accepted; v1.0 tokens of the same tenant come from sts.windows.net.
        if (entra.Instance.TrimEnd('/') == TraceEntraOptions.PublicCloud.TrimEnd('/') && Guid.TryParse(entra.TenantId, out var tenant))
            options.TokenValidationParameters.ValidIssuers = [$"https://sts.windows.net/{tenant:D}/"];
        options.TokenValidationParameters.NameClaimType = "name";
        options.TokenValidationParameters.RoleClaimType = EntraMembership.RolesClaim;
    }

    /// <summary>A refused consent, a stale or replayed callback: a page that says so, not a 500.</summary>
    private static async Task SignInFailedAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        TraceViewerGuard.AddPageHeaders(http.Response);
        await (await SignInPages.FailedAsync(http.Request.PathBase, context.Failure?.Message)).ExecuteAsync(http);
    }
}
