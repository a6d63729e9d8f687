using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotAgent.Testing;

/// <summary>
/// A loopback stand-in for the Bot Framework's identity services: OpenID metadata and a JWKS with RS256
/// keys of its own (each endorsing channels, as login.botframework.com's do), a client-credentials token
/// endpoint, and a way to mint tokens like the ones channels send.
/// </summary>
public sealed class TestIdentityServer : LoopbackServer
{
    public const string ChannelIssuer = "https://api.botframework.com";
    public const string EmulatorIssuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/";

    private readonly ConcurrentDictionary<string, (RsaSecurityKey Key, string[] Endorsements)> _keys = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _tokenRequests = new();
    private int _issued;

    public static async Task<TestIdentityServer> StartAsync()
    {
        var server = new TestIdentityServer();
        server.AddKey("key-1", "msteams", "emulator", "webchat");
        await server.StartServerAsync();
        return server;
    }

    public string MetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";

    public string TokenEndpoint => BaseUrl + "/oauth2/v2.0/token";

    /// <summary>Lifetime of the tokens the token endpoint issues.</summary>
    public int ExpiresInSeconds { get; set; } = 3600;

    public IReadOnlyList<IReadOnlyDictionary<string, string>> TokenRequests => [.. _tokenRequests];

    /// <summary>Publishes another signing key (rotation).</summary>
    public void AddKey(string kid, params string[] endorsements) =>
        _keys[kid] = (new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid }, endorsements);

    /// <summary>A token like the Bot Connector service sends with an activity.</summary>
    public string ChannelToken(string audience, string serviceUrl, string kid = "key-1", string issuer = ChannelIssuer,
        TimeSpan? expiresIn = null, RsaSecurityKey? signWith = null, bool includeServiceUrl = true)
    {
        var claims = new Dictionary<string, object>();
        if (includeServiceUrl)
            claims["serviceurl"] = serviceUrl;
        return Mint(issuer, audience, claims, kid, expiresIn, signWith);
    }

    /// <summary>An Entra ID token as the Emulator or the Playground (with credentials) sends.</summary>
    public string EmulatorToken(string appId, string version = "1.0", string kid = "key-1") =>
        Mint(EmulatorIssuer, appId, new Dictionary<string, object>
        {
            ["ver"] = version,
            [version == "2.0" ? "azp" : "appid"] = appId,
        }, kid, null, null);

    private string Mint(string issuer, string audience, Dictionary<string, object> claims, string kid, TimeSpan? expiresIn, RsaSecurityKey? signWith)
    {
        var key = signWith is null ? _keys[kid].Key : new RsaSecurityKey(signWith.Rsa) { KeyId = kid };
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

    protected override void Map(WebApplication app)
    {
        app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Json(new JsonObject
        {
            ["issuer"] = ChannelIssuer,
            ["authorization_endpoint"] = BaseUrl + "/authorize",
            ["jwks_uri"] = BaseUrl + "/v1/.well-known/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        }));
        app.MapGet("/v1/.well-known/keys", () =>
        {
            var keys = new JsonArray();
            foreach (var (kid, (key, endorsements)) in _keys)
            {
                var parameters = key.Rsa.ExportParameters(false);
                keys.Add(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = kid,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    ["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode?)JsonValue.Create(e))]),
                });
            }
            return Results.Json(new JsonObject { ["keys"] = keys });
        });
        app.MapPost("/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            _tokenRequests.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            var n = Interlocked.Increment(ref _issued);
            return Results.Json(new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = ExpiresInSeconds,
                ["ext_expires_in"] = ExpiresInSeconds,
                ["access_token"] = $"bot-token-{n}",
            });
        });
    }
}
