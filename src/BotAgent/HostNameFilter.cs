using System.Collections.Concurrent;

namespace BotAgent;

/// <summary>
/// Requests must name a host the bot is configured to be reached at: <c>AllowedHosts</c> when set, otherwise the
/// loopback names, the hosts of <c>Urls</c> and of <c>BotFramework:PublicBaseUrl</c>. A request naming another host
/// (a DNS-rebinding page, a scanner) gets 400 before any endpoint sees it, and the refusal is logged once per name.
/// <c>/healthz</c> and <c>/readyz</c> answer whatever the host: a load balancer or Kubernetes probe addresses the
/// pod's own IP, and they reveal nothing. A bot listening on every interface with no public address configured cannot
/// know its name, so there any name is accepted and the bot says so at start.
/// </summary>
/// <remarks>ASP.NET Core's own host filtering cannot leave the probes out, so it is set to <c>*</c> and this one does the work.</remarks>
internal sealed class HostNameFilter(RequestDelegate next, HostNames names, ILogger<HostNameFilter> logger)
{
    private static readonly PathString[] Probes = ["/healthz", "/readyz"];
    private readonly ConcurrentDictionary<string, byte> _logged = new(StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (names.Allows(context.Request.Host) || Probes.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }
        var host = context.Request.Host.Host;
        // Once per name (and at most a thousand names), so a scanner cannot fill the log.
        if (_logged.Count < 1000 && _logged.TryAdd(host, 0))
            logger.HostRefused(host, string.Join(", ", names.Allowed));
        await Results.Problem(title: "Unknown host name", statusCode: StatusCodes.Status400BadRequest,
            detail: "This bot answers only to the host names it is configured to be reached at (BotFramework:PublicBaseUrl or AllowedHosts).")
            .ExecuteAsync(context);
    }
}
