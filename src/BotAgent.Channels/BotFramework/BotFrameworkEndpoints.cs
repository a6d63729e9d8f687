using System.Text.Json;
using BotAgent.Channels.BotFramework.Authentication;
using BotAgent.Core;
using BotAgent.Core.Intake;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.BotFramework;

public static class BotFrameworkEndpoints
{
    public const string MessagesPath = "/api/messages";

    /// <summary>
    /// <c>POST /api/messages</c>: validate, persist to the inbox (de-duplicated), answer at once. Invokes
    /// for card actions are decided inline because their answer is the HTTP response.
    /// </summary>
    public static IEndpointRouteBuilder MapBotFramework(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(MessagesPath, HandleAsync).DisableAntiforgery();
        return endpoints;
    }

    /// <summary>401 with nothing about why: the reason goes to the log only.</summary>
    private static IResult Unauthorized(ILogger logger, string reason)
    {
        logger.Unauthenticated(reason);
        return Results.Problem(title: "Unauthorized", statusCode: StatusCodes.Status401Unauthorized);
    }


    private static async Task<IResult> HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("BotAgent.Channels.BotFramework");

        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (options.IsLocalMode)
        {
            // Local mode has nothing to validate a token against: a caller that sends one expects checks we cannot make.
            if (authorization is not null)
                return Unauthorized(logger, "a token was sent but the bot has no MicrosoftAppId (local mode)");
            if (LocalModeGuard.CheckRequest(context, options) is { } refused)
                return refused;
        }
        else if (authorization is null)
        {
            return Unauthorized(logger, "no Authorization header");
        }

        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, cancellationToken);
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
        if (options.IsLocalMode && LocalModeGuard.CheckServiceUrl(activity, options) is { } elsewhere)
            return elsewhere;
        if (options.IsLocalMode)
        {
            activity.VouchedBy = InboundVoucher.Local;
        }
        else
        {
            var verdict = await services.GetRequiredService<BotTokenValidator>().ValidateAsync(authorization, activity, cancellationToken);
            if (verdict.Refusal is { } refusal)
                return Unauthorized(logger, refusal);
            activity.VouchedBy = verdict.VouchedBy;
        }
        // Stored as read plus who vouched for it (a value the sender put there is overwritten above).
        var stored = JsonSerializer.Serialize(activity, BotFrameworkJsonContext.Default.Activity);

        if (options.AllowedTenants.Count > 0 && ActivityTranslator.TrustedTenantOf(activity) is var tenant
            && !options.AllowedTenants.Contains(tenant ?? "", StringComparer.OrdinalIgnoreCase))
        {
            logger.TenantRefused(tenant ?? $"(none vouched for by channel '{activity.ChannelId}')");
            return Results.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden,
                detail: "This bot serves only the Microsoft Entra tenants it is configured for (BotFramework:AllowedTenants).");
        }

        return await services.GetRequiredService<BotFrameworkIntake>().AcceptAsync(activity, stored, cancellationToken);
    }
}
