using System.ComponentModel.DataAnnotations;

namespace BotAgent.Traces;

/// <summary>
/// Configuration section <c>Traces</c>: the trace viewer pages (<c>/runs</c>) and who may open them. By
/// default only callers on this machine may; another machine needs <see cref="AccessToken"/> as a bearer token.
/// </summary>
public sealed class TraceViewerOptions
{
    public const string Section = "Traces";

    /// <summary>Serve <c>/runs</c>, <c>/runs/{id}</c> and <c>/runs/{id}.json</c> at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Lets callers from other machines in with <c>Authorization: Bearer &lt;AccessToken&gt;</c>. A secret:
    /// environment or secret store only. Unset: the pages answer only on loopback.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>False for a token short enough to guess; an empty one means none.</summary>
    public bool HasUsableToken => string.IsNullOrEmpty(AccessToken) || AccessToken.Length >= 16;

    /// <summary>Anyone who can reach the bot may read every run, without a token. Only behind your own authenticating proxy.</summary>
    public bool DangerouslyAllowRemoteWithoutToken { get; set; }

    /// <summary>Runs per page of the list.</summary>
    [Range(1, 500, ErrorMessage = "Traces:PageSize must be between 1 and 500.")]
    public int PageSize { get; set; } = 50;
}
