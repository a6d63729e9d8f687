using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// The first filter on <c>/api/messages</c>: reads the body (capped) as one activity and checks its shape, so what
/// follows has an activity to work with. In local mode it first checks the request is a local process's, not a web
/// page's (<see cref="LocalModeGuard"/>).
/// </summary>
internal sealed class ActivityReader(IOptions<BotFrameworkOptions> options) : IEndpointFilter
{
    private static readonly object Key = new();

    /// <summary>The activity this filter read for the current request.</summary>
    public static Activity Of(HttpContext context) => (Activity)context.Items[Key]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (options.Value.IsLocalMode && LocalModeGuard.CheckRequest(context, options.Value) is { } refused)
            return refused;

        var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBytes, context.RequestAborted);
        if (body.Problem is not null)
            return Results.Problem(title: "Bad activity", detail: body.Problem, statusCode: body.Status);
        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body.Text!, BotFrameworkJsonContext.Default.Activity);
        }
        catch (JsonException ex)
        {
            return Results.Problem(title: "Malformed JSON", detail: $"The request body is not a valid activity: {ex.Message}", statusCode: 400);
        }
        if (activity is null)
            return Results.Problem(title: "Bad activity", detail: "The request body is null.", statusCode: 400);
        if (ActivityValidator.Problem(activity) is { } problem)
            return Results.Problem(title: "Bad activity", detail: problem, statusCode: 400);
        context.Items[Key] = activity;
        return await next(invocation);
    }
}
