using System.ComponentModel.DataAnnotations;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// Configuration section <c>BotFramework</c>. The credential names are the ones Bot Framework users
/// know (<c>MicrosoftAppId</c>, <c>MicrosoftAppPassword</c>, <c>MicrosoftAppType</c>,
/// <c>MicrosoftAppTenantId</c>) and are also read from the configuration root.
/// </summary>
public sealed class BotFrameworkOptions
{
    public const string Section = "BotFramework";
    public const string PublicCloudScope = "https://api.botframework.com/.default";

    /// <summary>The bot's Microsoft App ID. Empty: local mode (Emulator, Agents Playground), no authentication.</summary>
    public string? MicrosoftAppId { get; set; }

    /// <summary>The app's client secret (MultiTenant and SingleTenant). A secret: environment or secret store only.</summary>
    public string? MicrosoftAppPassword { get; set; }

    /// <summary><c>MultiTenant</c>, <c>SingleTenant</c> (recommended) or <c>UserAssignedMSI</c>.</summary>
    [RegularExpression("^(?i:MultiTenant|SingleTenant|UserAssignedMSI)$", ErrorMessage = "MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI.")]
    public string MicrosoftAppType { get; set; } = "MultiTenant";

    /// <summary>The tenant of the app registration (SingleTenant, UserAssignedMSI).</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>OpenID metadata of the Bot Connector service, whose tokens Teams and other channels send.</summary>
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>OpenID metadata for Entra ID tokens (the Emulator and the Agents Playground with credentials).</summary>
    public string? EmulatorOpenIdMetadataUrl { get; set; }

    /// <summary>Issuer of channel tokens.</summary>
    public string ChannelIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>Extra accepted issuers of Entra ID tokens (the public-cloud Bot Framework ones and your tenant's are built in).</summary>
    public List<string> EmulatorIssuers { get; set; } = [];

    /// <summary>Where the bot gets its own tokens (client credentials); defaults by app type for the public cloud.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>The scope of the bot's own tokens.</summary>
    public string OAuthScope { get; set; } = PublicCloudScope;

    /// <summary>Allowed clock difference when checking token lifetimes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Least time between two metadata refreshes forced by an unknown signing key id.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Local mode only: accept unauthenticated requests from other machines too. Unsafe outside a lab.</summary>
    public bool DangerouslyAllowRemoteUnauthenticated { get; set; }

    /// <summary>Timeout for one Connector call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectorTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long connecting to the Connector may take, within <see cref="ConnectorTimeout"/>: a connection never made
    /// is certain non-delivery (retried), where a request that timed out after connecting may have arrived.
    /// </summary>
    public TimeSpan EffectiveConnectTimeout => ConnectorTimeout / 2 < TimeSpan.FromSeconds(5) ? ConnectorTimeout / 2 : TimeSpan.FromSeconds(5);

    /// <summary>Largest inbound request body accepted on /api/messages.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Microsoft Entra tenants whose conversations the bot serves. Empty: any tenant the app is installed in. An
    /// activity from another tenant, or naming none, is refused (403) and nothing of it is kept. Only Teams
    /// vouches for a tenant, so once this is set other Bot Framework channels (Emulator, Web Chat) are refused.
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];

    public bool IsLocalMode => string.IsNullOrWhiteSpace(MicrosoftAppId);

    public bool IsSingleTenant => string.Equals(MicrosoftAppType, "SingleTenant", StringComparison.OrdinalIgnoreCase);

    public bool IsManagedIdentity => string.Equals(MicrosoftAppType, "UserAssignedMSI", StringComparison.OrdinalIgnoreCase);

    /// <summary>The token endpoint to use: configured, or the public cloud's for the app type.</summary>
    public string EffectiveTokenEndpoint => TokenEndpoint
        ?? $"https://login.microsoftonline.com/{(IsSingleTenant ? MicrosoftAppTenantId : "botframework.com")}/oauth2/v2.0/token";

    public string EffectiveEmulatorOpenIdMetadataUrl => EmulatorOpenIdMetadataUrl
        ?? $"https://login.microsoftonline.com/{(IsSingleTenant && MicrosoftAppTenantId is not null ? MicrosoftAppTenantId : "common")}/v2.0/.well-known/openid-configuration";
}
