using System.ComponentModel.DataAnnotations;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Configuration section <c>DirectLine</c>: the Direct Line 3.0 endpoint the bot hosts itself (<c>/v3/directline</c>),
/// which Web Chat (<c>/chat</c>) and any Direct Line client talk to. Without <see cref="Secret"/> it runs in local mode:
/// callers on this machine only.
/// </summary>
public sealed class DirectLineOptions
{
    public const string Section = "DirectLine";

    /// <summary>
    /// Serve <c>/v3/directline</c> (and <c>/chat</c>) at all. Unset: on with <see cref="Secret"/>, or when Bot Framework
    /// is in local mode too (no <c>MicrosoftAppId</c>); off for a production bot without a secret.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The Direct Line secret: who presents it as a bearer may start conversations, mint tokens and post as anyone (a
    /// site's back end). A secret: environment or secret store only. Unset: local mode, callers on this machine only.
    /// </summary>
    [MinLength(32, ErrorMessage = "DirectLine:Secret must have at least 32 characters.")]
    public string? Secret { get; set; }

    /// <summary>How long a token is good for; clients refresh it before then (DirectLineJS every 15 minutes).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "DirectLine:TokenLifetime must be between 1 minute and 1 day.")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a session lasts however often its token is refreshed: then the client needs a new token (the /chat page, a
    /// new sign-in check; a site, a new token from its back end).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "DirectLine:SessionLifetime must be between 1 minute and 7 days.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Largest activity accepted, in bytes.</summary>
    [Range(1024, 4 * 1024 * 1024, ErrorMessage = "DirectLine:MaxRequestBytes must be between 1024 and 4194304.")]
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>Activities one person may post to one conversation per minute; more are answered 429.</summary>
    [Range(1, 10_000, ErrorMessage = "DirectLine:MaxPostsPerMinute must be between 1 and 10000.")]
    public int MaxPostsPerMinute { get; set; } = 60;

    /// <summary>Conversations and tokens one client address may start per minute; more are answered 429.</summary>
    [Range(1, 10_000, ErrorMessage = "DirectLine:MaxConversationsPerMinute must be between 1 and 10000.")]
    public int MaxConversationsPerMinute { get; set; } = 60;

    /// <summary>
    /// WebSockets one person (the user a token names; tokens naming nobody count together) may hold open on one conversation
    /// at once; more are answered 429. Each one looks at the log every 2 seconds.
    /// </summary>
    [Range(1, 1_000, ErrorMessage = "DirectLine:MaxStreamsPerConversation must be between 1 and 1000.")]
    public int MaxStreamsPerConversation { get; set; } = 5;

    /// <summary>The bot's name as Direct Line clients show it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BotName { get; set; } = "BotAgent";

    public bool IsLocalMode => string.IsNullOrEmpty(Secret);

    /// <summary><c>BotFramework:PublicBaseUrl</c>: the address people reach the bot at behind a proxy or tunnel.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// The address the bot's own pages are served from, for this request: the public address when the request names its
    /// host (a proxy that ends TLS makes the request look like plain http), else the request's own.
    /// </summary>
    public string OwnOrigin(Microsoft.AspNetCore.Http.HttpRequest request) =>
        Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            ? uri.GetLeftPart(UriPartial.Authority)
            : $"{request.Scheme}://{request.Host}";

    /// <summary>An <c>Origin</c> header of the bot's own pages: the request's own address or the public one.</summary>
    public bool IsOwnOrigin(Microsoft.AspNetCore.Http.HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
        || string.Equals(origin, OwnOrigin(request), StringComparison.OrdinalIgnoreCase);
}
