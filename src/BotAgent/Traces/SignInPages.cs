namespace BotAgent.Traces;

/// <summary>
/// The pages around Entra sign-in: signed in but not allowed, sign-in failed, sign out, and the line on every
/// trace page that says who is signed in. Sign-out is a form (POST): a link on another site cannot sign anyone out.
/// </summary>
internal static class SignInPages
{
    public const string SignOutPath = "/runs/sign-out";

    public static IResult NotMember(HttpContext http) => HtmlPage.Result("Not allowed", $"""
        <h1>You may not see traces</h1>
        <p id="not-member">You are signed in as {Who(http)}, but you are not in a group or app role that may see this bot's traces.
        Ask the bot's operator to add you to one of the groups in <span class="mono">Traces:Entra:AllowedGroups</span>
        or give you one of the app roles in <span class="mono">Traces:Entra:AllowedRoles</span>.</p>
        {SignOutForm(http.Request.PathBase, "Sign out (to use another account)")}
        """, StatusCodes.Status403Forbidden);

    public static IResult Failed(PathString pathBase, string? reason) => HtmlPage.Result("Sign-in failed", $"""
        <h1>Sign-in did not complete</h1>
        <p id="sign-in-failed">{HtmlPage.E(reason ?? "The identity provider sent no usable answer.")}</p>
        <p><a href="{HtmlPage.E(pathBase)}/runs">Try again</a></p>
        """, StatusCodes.Status403Forbidden);

    public static IResult SignOut(PathString pathBase) => HtmlPage.Result("Sign out", $"""
        <h1>Sign out of the trace pages</h1>
        {SignOutForm(pathBase, "Sign out")}
        """);

    public static IResult SignedOut(PathString pathBase) => HtmlPage.Result("Signed out", $"""
        <h1>Signed out</h1>
        <p id="signed-out">You are signed out of this bot's trace pages (your Microsoft account stays signed in).
        <a href="{HtmlPage.E(pathBase)}/runs">Sign in again</a></p>
        """);

    /// <summary>"Signed in as … · Sign out" for a person signed in with the cookie; empty for anyone else.</summary>
    public static string SignedInLine(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true && http.Request.Headers.Authorization.Count == 0
            ? $"""<p id="signed-in" class="muted" style="text-align:right;margin:0">Signed in as {Who(http)} · {SignOutForm(http.Request.PathBase, "Sign out", inline: true)}</p>"""
            : "";

    private static string Who(HttpContext http)
    {
        var name = http.User.FindFirst("name")?.Value;
        var account = http.User.FindFirst("preferred_username")?.Value;
        return (name, account) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"<strong>{HtmlPage.E(name)}</strong> ({HtmlPage.E(account)})",
            ({ Length: > 0 }, _) => $"<strong>{HtmlPage.E(name)}</strong>",
            (_, { Length: > 0 }) => $"<strong>{HtmlPage.E(account)}</strong>",
            _ => "an account without a name",
        };
    }

    private static string SignOutForm(PathString pathBase, string label, bool inline = false) =>
        $"""<form method="post" action="{HtmlPage.E(pathBase)}{SignOutPath}"{(inline ? " style=\"display:inline\"" : "")}><button type="submit" id="sign-out">{HtmlPage.E(label)}</button></form>""";
}
