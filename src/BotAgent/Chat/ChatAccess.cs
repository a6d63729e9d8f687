using System.Text.RegularExpressions;
using BotAgent.Channels.DirectLine;
using BotAgent.Traces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotAgent.Chat;

/// <summary>
/// Who may chat on /chat, and as whom. Local mode (no <c>DirectLine:Secret</c>): people on this machine, each under the
/// name they pick (two tabs can be two people). Otherwise: people signed in with the trace viewer's Entra ID sign-in and
/// in one of its allowed groups or roles, as their Entra user name; the page never chooses an id.
/// </summary>
internal sealed partial class ChatAccess(IOptions<DirectLineOptions> directLine, IOptions<TraceViewerOptions> traces)
{
    public bool IsLocalMode => directLine.Value.IsLocalMode;

    public bool CanSignIn => traces.Value.Enabled && traces.Value.Entra.IsEnabled;

    /// <summary>The signed-in person, or null when nobody (allowed) is signed in.</summary>
    public async Task<ChatPerson?> SignedInAsync(HttpContext context)
    {
        if (!CanSignIn)
            return null;
        var result = await context.AuthenticateAsync(TraceAuthentication.CookieScheme);
        if (!result.Succeeded || !EntraMembership.Allows(result.Principal, traces.Value.Entra))
            return null;
        var user = result.Principal.FindFirst("preferred_username")?.Value;
        if (string.IsNullOrWhiteSpace(user))
            return null;
        var id = user.Trim().ToLowerInvariant();
        return new ChatPerson(id, result.Principal.FindFirst("name")?.Value is { Length: > 0 } name ? name : id, SignedIn: true);
    }

    /// <summary>A person on this machine under a picked name: the id is the name's slug (<c>Alice Smith</c> is <c>alice-smith</c>).</summary>
    public static ChatPerson? Picked(string? name)
    {
        var display = name?.Trim() ?? "";
        var id = Slug(display);
        return display.Length is 0 or > 60 || id is null ? null : new ChatPerson(id, display, SignedIn: false);
    }

    /// <summary>A room's name as a conversation id part: letters, digits and dashes, at most 40; null when there are none.</summary>
    public static string? Slug(string? text)
    {
        var slug = NotSlug().Replace((text ?? "").Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length is > 0 and <= 40 ? slug : null;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
