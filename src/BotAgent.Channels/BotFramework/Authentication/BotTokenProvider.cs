using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace BotAgent.Channels.BotFramework.Authentication;

/// <summary>
/// The bot's own token for Connector calls: client credentials for MultiTenant and SingleTenant apps
/// (from <c>BotFramework:TokenEndpoint</c>, the public cloud by default), a managed identity for
/// UserAssignedMSI. Cached until shortly before it expires; one request at a time refreshes it.
/// </summary>
/// <remarks>
/// Client credentials are one form POST, done here rather than through MSAL so that every URL is
/// configurable, including a plain-http token endpoint on loopback in tests (MSAL insists on https).
/// </remarks>
public sealed class BotTokenProvider(IHttpClientFactory httpClients, IOptions<BotFrameworkOptions> options, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "BotFramework.Token";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (string Token, DateTimeOffset RefreshAt)? _cached;

    /// <summary>Null in local mode: no Authorization header is sent.</summary>
    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (options.Value.IsLocalMode)
            return null;
        if (_cached is { } fresh && time.GetUtcNow() < fresh.RefreshAt)
            return fresh.Token;

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && time.GetUtcNow() < again.RefreshAt)
                return again.Token;
            var (token, lifetime) = options.Value.IsManagedIdentity
                ? await ManagedIdentityAsync(cancellationToken)
                : await ClientCredentialsAsync(cancellationToken);
            // Refresh well before expiry; for short-lived tokens, halfway through.
            var margin = lifetime > RefreshMargin * 2 ? RefreshMargin : lifetime / 2;
            _cached = (token, time.GetUtcNow() + lifetime - margin);
            return token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<(string, TimeSpan)> ClientCredentialsAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.MicrosoftAppPassword))
            throw new InvalidOperationException("MicrosoftAppPassword is required for MultiTenant and SingleTenant apps.");
        using var request = new HttpRequestMessage(HttpMethod.Post, o.EffectiveTokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.MicrosoftAppId!,
                ["client_secret"] = o.MicrosoftAppPassword,
                ["scope"] = o.OAuthScope,
            }),
        };
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            // The body may echo the client id; it never contains the secret. Keep it short.
            throw new HttpRequestException($"The token endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync(TokenJsonContext.Default.TokenResponse, cancellationToken)
            ?? throw new HttpRequestException("The token endpoint answered with no token.");
        if (string.IsNullOrEmpty(body.AccessToken))
            throw new HttpRequestException("The token endpoint answered with no access_token.");
        return (body.AccessToken, TimeSpan.FromSeconds(Math.Max(1, body.ExpiresIn)));
    }

    private async Task<(string, TimeSpan)> ManagedIdentityAsync(CancellationToken cancellationToken)
    {
        var app = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedClientId(options.Value.MicrosoftAppId!)).Build();
        var resource = options.Value.OAuthScope.EndsWith("/.default", StringComparison.Ordinal)
            ? options.Value.OAuthScope[..^"/.default".Length]
            : options.Value.OAuthScope;
        var result = await app.AcquireTokenForManagedIdentity(resource).ExecuteAsync(cancellationToken);
        return (result.AccessToken, result.ExpiresOn - time.GetUtcNow());
    }

    public void Dispose() => _refresh.Dispose();
}

internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; set; }
}

[JsonSerializable(typeof(TokenResponse))]
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
