using System.ComponentModel.DataAnnotations;

namespace BotAgent.Traces;

/// <summary>
/// Configuration section <c>Traces</c>: the trace viewer pages (<c>/runs</c>) and who may open them. By
/// default only callers on this machine may; others need <see cref="AccessToken"/> as a bearer token or to
/// sign in with Entra ID (<see cref="Entra"/>).
/// </summary>
public sealed class TraceViewerOptions
{
    public const string Section = "Traces";

    /// <summary>Serve <c>/runs</c>, <c>/runs/{id}</c> and <c>/runs/{id}.json</c> at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Lets callers from other machines in with <c>Authorization: Bearer &lt;AccessToken&gt;</c>. A secret:
    /// environment or secret store only. Unset: the pages answer only on loopback (or after Entra sign-in).
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>False for a token short enough to guess; an empty one means none.</summary>
    public bool HasUsableToken => string.IsNullOrEmpty(AccessToken) || AccessToken.Length >= 16;

    /// <summary>
    /// Callers on this machine (a loopback connection, a loopback <c>Host</c>, no forwarding header) may look
    /// without a token. Turn it off behind any proxy or tunnel: one that adds no forwarding header (<c>ssh -R</c>)
    /// makes every caller look local. Always off while forwarded headers are processed.
    /// </summary>
    public bool LoopbackAccess { get; set; } = true;

    /// <summary>Anyone who can reach the bot may read every run, without a token. Only behind your own authenticating proxy.</summary>
    public bool DangerouslyAllowRemoteWithoutToken { get; set; }

    /// <summary>Sign-in with Microsoft Entra ID, for people (pages) and scripts (bearer tokens on the JSON).</summary>
    public TraceEntraOptions Entra { get; set; } = new();

    /// <summary>Runs per page of the list.</summary>
    [Range(1, 500, ErrorMessage = "Traces:PageSize must be between 1 and 500.")]
    public int PageSize { get; set; } = 50;
}
