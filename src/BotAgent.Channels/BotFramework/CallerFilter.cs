using BotAgent.Channels.BotFramework.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// The second filter on <c>/api/messages</c>: the activity is one its caller may send. A channel token vouches only
/// for the channels its key endorses and the Connector its <c>serviceurl</c> claim names; in local mode answers go
/// only to this machine; with an allow-list, only the configured tenants are served. The activity then carries who
/// vouched for it (a value the sender put there is overwritten).
/// </summary>
internal sealed class CallerFilter(IOptions<BotFrameworkOptions> options, ILoggerFactory loggers) : IEndpointFilter
{
    private readonly ILogger _log = loggers.CreateLogger("BotAgent.Channels.BotFramework");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var activity = ActivityReader.Of(context);
        var verdict = BotFrameworkAuthenticationHandler.VerdictOf(context.User);
        if (options.Value.IsLocalMode && LocalModeGuard.CheckServiceUrl(activity, options.Value) is { } elsewhere)
            return elsewhere;
        if (verdict.Problem(activity) is { } problem)
        {
            _log.Unauthenticated(problem);
            return Results.Problem(title: "Unauthorized", statusCode: StatusCodes.Status401Unauthorized);
        }
        activity.VouchedBy = verdict.VouchedBy;

        if (options.Value.AllowedTenants.Count > 0 && ActivityTranslator.TrustedTenantOf(activity) is var tenant
            && !options.Value.AllowedTenants.Contains(tenant ?? "", StringComparer.OrdinalIgnoreCase))
        {
            _log.TenantRefused(tenant ?? $"(none vouched for by channel '{activity.ChannelId}')");
            return Results.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden,
                detail: "This bot serves only the Microsoft Entra tenants it is configured for (BotFramework:AllowedTenants).");
        }
        return await next(invocation);
    }
}
