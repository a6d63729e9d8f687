using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BotAgent.Channels.BotFramework.Authentication;

/// <summary>
/// Validates the Bearer token on every inbound activity when the bot has an app id: the signature against
/// keys from OpenID metadata (cached; refreshed when an unknown key id appears), issuer, audience, lifetime
/// with clock skew; for channel tokens it also reads what the activity must then match (the channels the signing key
/// endorses, the <c>serviceurl</c> claim: <see cref="TokenVerdict.Problem"/>). Entra ID tokens from the Emulator and
/// the Agents Playground are accepted as the Bot Framework specifies.
/// </summary>
public sealed class BotTokenValidator
{
    private static readonly string[] PublicCloudEmulatorIssuers =
    [
        "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
        "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",
        "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
        "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
    ];

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly BotFrameworkOptions _options;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _channelKeys;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _emulatorKeys;
    private readonly HashSet<string> _emulatorIssuers;
    private readonly JsonWebTokenHandler _handler = new();

    public BotTokenValidator(IOptions<BotFrameworkOptions> options, IHttpClientFactory httpClients)
    {
        _options = options.Value;
        _channelKeys = Metadata(_options.OpenIdMetadataUrl, httpClients);
        _emulatorKeys = Metadata(_options.EffectiveEmulatorOpenIdMetadataUrl, httpClients);
        _emulatorIssuers = new HashSet<string>([.. PublicCloudEmulatorIssuers, .. _options.EmulatorIssuers], StringComparer.Ordinal);
        if (_options.MicrosoftAppTenantId is { Length: > 0 } tenant)
        {
            _emulatorIssuers.Add($"https://sts.windows.net/{tenant}/");
            _emulatorIssuers.Add($"https://login.microsoftonline.com/{tenant}/v2.0");
        }
    }

    public const string HttpClientName = "BotFramework.OpenId";

    /// <returns>
    /// The refusal reason (for the log only, never the caller), or what vouched for the request
    /// (<see cref="InboundVoucher.Channel"/> or <see cref="InboundVoucher.Entra"/>) and what a channel's activity must match.
    /// </returns>
    public async Task<TokenVerdict> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length <= 7)
            return "no Bearer token";
        var raw = authorization[7..].Trim();
        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return "not a JWT";
        }

        var isChannelToken = string.Equals(unverified.Issuer, _options.ChannelIssuer, StringComparison.Ordinal);
        if (!isChannelToken && !_emulatorIssuers.Contains(unverified.Issuer))
            return $"untrusted issuer '{unverified.Issuer}'";
        var keys = isChannelToken ? _channelKeys : _emulatorKeys;

        var configuration = await keys.GetConfigurationAsync(cancellationToken);
        if (unverified.Kid is { } kid && !configuration.SigningKeys.Any(k => k.KeyId == kid))
        {
            // Keys rotate at any time: look again once (rate-limited by MetadataRefreshInterval) before refusing.
            keys.RequestRefresh();
            configuration = await keys.GetConfigurationAsync(cancellationToken);
        }

        var result = await _handler.ValidateTokenAsync(raw, new TokenValidationParameters
        {
            ValidIssuers = isChannelToken ? [_options.ChannelIssuer] : _emulatorIssuers,
            ValidAudience = _options.MicrosoftAppId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = Algorithms,
            ClockSkew = _options.ClockSkew,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
        });
        if (!result.IsValid)
            return result.Exception?.GetType().Name + ": " + result.Exception?.Message;

        if (!isChannelToken)
            return CheckEntraToken(unverified) is { } entraRefusal ? entraRefusal : new TokenVerdict(null, InboundVoucher.Entra);
        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == unverified.Kid);
        return new TokenVerdict(null, InboundVoucher.Channel,
            unverified.TryGetClaim("serviceurl", out var claim) ? claim.Value : null,
            key is null ? [] : [.. Endorsements(key)]);
    }

    private string? CheckEntraToken(JsonWebToken token)
    {
        // v1 tokens name the caller's app in 'appid', v2 tokens in 'azp'; the Emulator and Playground call as the bot itself.
        var version = token.TryGetClaim("ver", out var ver) ? ver.Value : "1.0";
        var claimName = version switch { "1.0" => "appid", "2.0" => "azp", _ => null };
        if (claimName is null)
            return $"unknown token version '{version}'";
        var appId = token.TryGetClaim(claimName, out var app) ? app.Value : null;
        return string.Equals(appId, _options.MicrosoftAppId, StringComparison.OrdinalIgnoreCase) ? null : "the token was issued to another app";
    }

    private static IEnumerable<string> Endorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue("endorsements", out var value))
            return [];
        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
            IEnumerable<object> list => list.Select(o => o.ToString() ?? ""),
            _ => [],
        };
    }

    private ConfigurationManager<OpenIdConnectConfiguration> Metadata(string url, IHttpClientFactory httpClients) =>
        new(url, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName))
        {
            // Sovereign clouds and tests configure other URLs; plain http is accepted only when configured so.
            RequireHttps = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase),
        })
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(24),
            RefreshInterval = _options.MetadataRefreshInterval < ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval
                ? ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval
                : _options.MetadataRefreshInterval,
        };
}

/// <summary>A token check's outcome: <see cref="Refusal"/> (for the log) or what vouched for the request.</summary>
/// <param name="ServiceUrl">A channel token's <c>serviceurl</c> claim: the only Connector the activity may name.</param>
/// <param name="Endorsements">The channels a channel token's signing key endorses: the only channels the activity may name.</param>
public readonly record struct TokenVerdict(string? Refusal, string? VouchedBy, string? ServiceUrl = null, IReadOnlyList<string>? Endorsements = null)
{
    public static implicit operator TokenVerdict(string refusal) => new(refusal, null);

    /// <summary>Why a channel token does not vouch for this activity, or null (Entra tokens name no channel).</summary>
    public string? Problem(Activity activity)
    {
        if (VouchedBy != InboundVoucher.Channel)
            return null;
        if (Endorsements is null || !Endorsements.Contains(activity.ChannelId ?? "", StringComparer.Ordinal))
            return $"the signing key does not endorse channel '{activity.ChannelId}'";
        if (ServiceUrl is null || !string.Equals(ServiceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
            return "the serviceurl claim does not match the activity's serviceUrl";
        return null;
    }
}
