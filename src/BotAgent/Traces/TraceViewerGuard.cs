using Microsoft.AspNetCore.Authentication;

namespace BotAgent.Traces;

/// <summary>
/// The filter in front of every trace endpoint: the response headers that keep the pages inert, then
/// <see cref="TraceViewerAccess"/>'s decision as the answer a browser or a script expects. A page redirects a
/// person to sign in; the JSON, read by scripts, answers 401 instead.
/// </summary>
internal sealed class TraceViewerGuard(bool isPage) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        AddPageHeaders(http.Response);
        var access = await http.RequestServices.GetRequiredService<TraceViewerAccess>().CheckAsync(http);
        return access switch
        {
            TraceAccess.Allowed => await next(context),
            TraceAccess.SignInRequired when isPage => Results.Challenge(
                new AuthenticationProperties { RedirectUri = $"{http.Request.PathBase}{http.Request.Path}{http.Request.QueryString}" },
                [TraceAuthentication.SignInScheme]),
            TraceAccess.Unauthorized or TraceAccess.SignInRequired => Unauthorized(http),
            TraceAccess.NotMember when isPage => await SignInPages.NotMemberAsync(http),
            TraceAccess.NotMember => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not in an allowed group or role",
                detail: "The token is valid, but carries none of the groups in Traces:Entra:AllowedGroups or app roles in Traces:Entra:AllowedRoles."),
            _ => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Trace pages answer only on this machine",
                detail: "Open them on the bot's machine at http://localhost, or configure Traces:AccessToken or Traces:Entra to let people in from elsewhere."),
        };
    }

    public static void AddPageHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = HtmlPage.SecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
    }

    private static IResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"BotAgent traces\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A bearer token is needed",
            detail: "Trace pages need 'Authorization: Bearer <token>': Traces:AccessToken, or an Entra ID token for this app when Traces:Entra is configured.");
    }
}
