using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotAgent.Testing;

/// <summary>
/// A loopback stand-in for Microsoft Entra ID as an OpenID provider for one tenant: v2.0 metadata, a JWKS with
/// an RSA key of its own, an authorize endpoint that signs in <see cref="NextUser"/> at once (no login form) and
/// redirects back with a code, and a token endpoint that redeems the code, checking the client secret and the
/// PKCE verifier, for an id_token and an access token. Point <c>Traces:Entra:Instance</c> at <see cref="Instance"/>.
/// </summary>
public sealed class TestEntraServer : LoopbackServer
{
    public const string TenantId = "7c1f3e2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b";
    public const string ClientId = "3f2e1d0c-9b8a-4765-8432-10fedcba9876";
    public const string ClientSecret = "test-entra-client-secret-0123456789";
    public const string KeyId = "entra-key-1";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = KeyId };
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _authorizeRequests = new();
    private readonly ConcurrentQueue<string> _tokenErrors = new();

    public static async Task<TestEntraServer> StartAsync()
    {
        var server = new TestEntraServer();
        await server.StartServerAsync();
        return server;
    }

    /// <summary>The value for <c>Traces:Entra:Instance</c>.</summary>
    public string Instance => BaseUrl + "/";

    public string Issuer => IssuerOf(TenantId);

    public string AuthorizeEndpoint => $"{BaseUrl}/{TenantId}/oauth2/v2.0/authorize";

    /// <summary>Who the next sign-in is; the authorize endpoint answers 400 (as if nobody signed in) while null.</summary>
    public TestEntraUser? NextUser { get; set; }

    /// <summary>The query of every authorize request, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> AuthorizeRequests => [.. _authorizeRequests];

    /// <summary>Why each refused code redemption was refused (wrong secret, wrong verifier, …).</summary>
    public IReadOnlyList<string> TokenErrors => [.. _tokenErrors];

    /// <summary>The settings that turn on Entra sign-in against this server, admitting <paramref name="allowedGroup"/>.</summary>
    public Dictionary<string, string?> Settings(string allowedGroup) => new()
    {
        ["Traces:Entra:Instance"] = Instance,
        ["Traces:Entra:TenantId"] = TenantId,
        ["Traces:Entra:ClientId"] = ClientId,
        ["Traces:Entra:ClientSecret"] = ClientSecret,
        ["Traces:Entra:AllowedGroups:0"] = allowedGroup,
    };

    public string IssuerOf(string tenant) => $"{BaseUrl}/{tenant}/v2.0";

    /// <summary>An access token as Entra issues to a script for this app (or, with the parameters, one that must be refused).</summary>
    public string AccessToken(TestEntraUser user, string? audience = null, TimeSpan? expiresIn = null, RsaSecurityKey? signWith = null, string? issuer = null) =>
        Mint(issuer ?? Issuer, audience ?? $"api://{ClientId}", UserClaims(user), expiresIn, signWith);

    private string Mint(string issuer, string audience, Dictionary<string, object> claims, TimeSpan? expiresIn, RsaSecurityKey? signWith)
    {
        var key = signWith is null ? _key : new RsaSecurityKey(signWith.Rsa) { KeyId = KeyId };
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var lifetime = expiresIn ?? TimeSpan.FromHours(1);
        var expires = now + lifetime;
        var notBefore = lifetime < TimeSpan.Zero ? expires - TimeSpan.FromHours(1) : now.AddMinutes(-1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static Dictionary<string, object> UserClaims(TestEntraUser user)
    {
        var claims = new Dictionary<string, object>
        {
            ["tid"] = TenantId,
            ["oid"] = user.ObjectId,
            ["sub"] = "sub-" + user.ObjectId,
            ["name"] = user.Name,
            ["preferred_username"] = user.UserName,
            ["ver"] = "2.0",
        };
        if (user.Groups.Count > 0)
            claims["groups"] = user.Groups.ToArray();
        if (user.Roles is { Count: > 0 } roles)
            claims["roles"] = roles.ToArray();
        return claims;
    }

    protected override void Map(WebApplication app)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => tenant != TenantId ? Results.NotFound() : Results.Json(new JsonObject
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = AuthorizeEndpoint,
            ["token_endpoint"] = $"{BaseUrl}/{TenantId}/oauth2/v2.0/token",
            ["jwks_uri"] = $"{BaseUrl}/{TenantId}/discovery/v2.0/keys",
            ["end_session_endpoint"] = $"{BaseUrl}/{TenantId}/oauth2/v2.0/logout",
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token"),
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "client_secret_basic"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
        }));
        app.MapGet("/{tenant}/discovery/v2.0/keys", () =>
        {
            var parameters = _key.Rsa.ExportParameters(false);
            return Results.Json(new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                }),
            });
        });
        app.MapGet("/{tenant}/oauth2/v2.0/authorize", (string tenant, HttpRequest request) => Authorize(tenant, request));
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpRequest request) => Redeem(tenant, request, await request.ReadFormAsync()));
    }

    /// <summary>Signs in <see cref="NextUser"/> without asking and sends the browser back with a one-time code.</summary>
    private IResult Authorize(string tenant, HttpRequest request)
    {
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        _authorizeRequests.Enqueue(query);
        string Get(string name) => query.GetValueOrDefault(name) ?? "";
        if (tenant != TenantId || Get("client_id") != ClientId || Get("response_type") != "code")
            return Results.BadRequest("unknown tenant or client, or not the code flow");
        if (Get("code_challenge_method") != "S256" || Get("code_challenge").Length < 43 || Get("nonce").Length == 0 || Get("state").Length == 0)
            return Results.BadRequest("PKCE (S256), a nonce and a state are required");
        if (Get("response_mode") is not ("" or "query"))
            return Results.BadRequest("this provider answers only in the query");
        var redirect = Get("redirect_uri");
        if (NextUser is not { } user || !Uri.TryCreate(redirect, UriKind.Absolute, out _))
            return Results.BadRequest("nobody to sign in, or no redirect_uri");
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new PendingCode(user, redirect, Get("code_challenge"), Get("nonce"));
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirect}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(Get("state"))}&session_state=test");
    }

    private IResult Redeem(string tenant, HttpRequest request, IFormCollection form)
    {
        string Get(string name) => form[name].ToString();
        var (clientId, secret) = ClientCredentials(request, form);
        string? error = null;
        if (tenant != TenantId || Get("grant_type") != "authorization_code")
            error = "unsupported_grant_type";
        else if (clientId != ClientId || secret != ClientSecret)
            error = "invalid_client";
        else if (!_codes.TryRemove(Get("code"), out var pending))
            error = "invalid_grant: unknown or used code";
        else if (Get("redirect_uri") != pending.RedirectUri)
            error = "invalid_grant: redirect_uri differs";
        else if (Challenge(Get("code_verifier")) != pending.CodeChallenge)
            error = "invalid_grant: code_verifier does not match the code_challenge";
        else
            return Tokens(pending);
        _tokenErrors.Enqueue(error);
        return Results.Json(new JsonObject { ["error"] = error.Split(':')[0], ["error_description"] = error }, statusCode: StatusCodes.Status400BadRequest);
    }

    private IResult Tokens(PendingCode pending)
    {
        var idClaims = UserClaims(pending.User);
        idClaims["nonce"] = pending.Nonce;
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = "openid profile",
            ["expires_in"] = 3600,
            ["id_token"] = Mint(Issuer, ClientId, idClaims, null, null),
            ["access_token"] = AccessToken(pending.User),
        });
    }

    /// <summary>client_secret_post, or client_secret_basic (form-encoded parts, as RFC 6749 says).</summary>
    private static (string? ClientId, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return (form["client_id"].ToString(), form["client_secret"].ToString());
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim())).Split(':', 2);
        return pair.Length == 2 ? (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1])) : (null, null);
    }

    private static string Challenge(string verifier) =>
        verifier.Length == 0 ? "" : Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private sealed record PendingCode(TestEntraUser User, string RedirectUri, string CodeChallenge, string Nonce);
}
