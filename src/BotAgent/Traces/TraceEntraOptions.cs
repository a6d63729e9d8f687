namespace BotAgent.Traces;

/// <summary>
/// Configuration section <c>Traces:Entra</c>: signing in to the trace pages with Microsoft Entra ID (OpenID
/// Connect, authorization code flow with PKCE), and Entra bearer tokens on <c>/runs/{id}.json</c>. On when
/// <see cref="TenantId"/> or <see cref="ClientId"/> is set; then a caller must carry one of
/// <see cref="AllowedGroups"/> or <see cref="AllowedRoles"/>: being a user of the tenant is not enough.
/// </summary>
public sealed class TraceEntraOptions
{
    public const string Section = TraceViewerOptions.Section + ":Entra";

    public const string PublicCloud = "https://login.microsoftonline.com/";

    /// <summary>The directory (tenant) id, or its domain. Never <c>common</c> or <c>organizations</c>: one tenant only.</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration's Application (client) id; also the audience of bearer tokens (or <c>api://</c> it).</summary>
    public string? ClientId { get; set; }

    /// <summary>The app registration's client secret, to redeem sign-in codes. A secret: environment or secret store only.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The Entra sign-in address; another cloud's (or, in tests, a loopback provider's).</summary>
    public string Instance { get; set; } = PublicCloud;

    /// <summary>Group object ids (the <c>groups</c> claim) whose members may look.</summary>
    public List<string> AllowedGroups { get; set; } = [];

    /// <summary>App roles (the <c>roles</c> claim) whose holders may look.</summary>
    public List<string> AllowedRoles { get; set; } = [];

    public bool IsEnabled => !string.IsNullOrWhiteSpace(TenantId) || !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>The tenant's v2.0 authority: its metadata is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string Authority => $"{Instance.TrimEnd('/')}/{TenantId?.Trim()}/v2.0";

    /// <summary>Bearer tokens are for this app: v2.0 tokens name the client id, v1.0 tokens its <c>api://</c> URI.</summary>
    public IReadOnlyList<string> Audiences => [ClientId!.Trim(), $"api://{ClientId!.Trim()}"];

    /// <summary>The instance is plain http only on loopback (a test provider); metadata is then fetched without TLS.</summary>
    public bool IsHttps => Uri.TryCreate(Instance, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}
