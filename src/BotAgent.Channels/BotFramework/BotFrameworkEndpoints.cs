using System.Text.Json;
using BotAgent.Channels.BotFramework.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BotAgent.Channels.BotFramework;

public static class BotFrameworkEndpoints
{
    public const string MessagesPath = "/api/messages";

    /// <summary>
    /// <c>POST /api/messages</c>: authenticated by the Bot Framework scheme, read (<see cref="ActivityReader"/>), checked
    /// against its caller (<see cref="CallerFilter"/>), then handed to the intake, which answers at once.
    /// </summary>
    public static IEndpointRouteBuilder MapBotFramework(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(MessagesPath, HandleAsync)
            .RequireAuthorization(BotFrameworkAuthenticationHandler.Policy)
            .AddEndpointFilter<ActivityReader>()
            .AddEndpointFilter<CallerFilter>()
            .DisableAntiforgery();
        return endpoints;
    }

    private static Task<IResult> HandleAsync(HttpContext context, BotFrameworkIntake intake, CancellationToken cancellationToken)
    {
        var activity = ActivityReader.Of(context);
        // Stored as read plus who vouched for it.
        var stored = JsonSerializer.Serialize(activity, BotFrameworkJsonContext.Default.Activity);
        return intake.AcceptAsync(activity, stored, cancellationToken);
    }
}
