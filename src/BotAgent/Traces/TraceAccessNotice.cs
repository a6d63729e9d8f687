using Microsoft.Extensions.Options;

namespace BotAgent.Traces;

/// <summary>
/// Says at start who may open the trace pages, so an operator behind a proxy learns that loopback access was
/// switched off (or that nobody can look) from the log rather than from a 403.
/// </summary>
internal sealed class TraceAccessNotice(IOptions<TraceViewerOptions> options, TraceLoopbackAccess loopback, ILogger<TraceAccessNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return Task.CompletedTask;
        if (loopback.ForwardedHeadersSource is { } source)
            logger.LoopbackOffForForwardedHeaders(source);
        else if (!loopback.IsOn)
            logger.LoopbackOffBySetting();
        if (settings.DangerouslyAllowRemoteWithoutToken)
            logger.AnyoneMayLook();
        else if (!loopback.IsOn && string.IsNullOrEmpty(settings.AccessToken) && !settings.Entra.IsEnabled)
            logger.NobodyMayLook();
        if (settings.Entra.IsEnabled)
            logger.EntraSignIn(settings.Entra.TenantId ?? "", settings.Entra.AllowedGroups.Count, settings.Entra.AllowedRoles.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
