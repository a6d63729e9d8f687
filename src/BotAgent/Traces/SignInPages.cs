using BotAgent.Traces.Pages;

namespace BotAgent.Traces;

/// <summary>
/// The pages around Entra sign-in: signed in but not allowed, sign-in failed, sign out, and the line on every
/// trace page that says who is signed in. Sign-out is a form (POST): a link on another site cannot sign anyone out.
/// </summary>
internal static class SignInPages
{
    public const string SignOutPath = "/runs/sign-out";

    public static Task<IResult> NotMemberAsync(HttpContext http) =>
        HtmlPage.ResultAsync("Not allowed", NotMember.Create(Person(http)), StatusCodes.Status403Forbidden);

    public static Task<IResult> FailedAsync(PathString pathBase, string? reason) =>
        HtmlPage.ResultAsync("Sign-in failed", SignInFailed.Create(new SignInFailure(pathBase, reason ?? "The identity provider sent no usable answer.")), StatusCodes.Status403Forbidden);

    public static Task<IResult> SignOutAsync(PathString pathBase) => HtmlPage.ResultAsync("Sign out", SignOut.Create(pathBase));

    public static Task<IResult> SignedOutAsync(PathString pathBase) => HtmlPage.ResultAsync("Signed out", SignedOut.Create(pathBase));

    /// <summary>The person signed in with the cookie, for the "Signed in as … · Sign out" line; null for anyone else.</summary>
    public static SignedIn? Viewer(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true && http.Request.Headers.Authorization.Count == 0 ? Person(http) : null;

    private static SignedIn Person(HttpContext http) =>
        new(http.User.FindFirst("name")?.Value, http.User.FindFirst("preferred_username")?.Value, http.Request.PathBase);
}
