using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace BotAgent.Traces;

/// <summary>
/// Whether callers on this machine may look without a token: <c>Traces:LoopbackAccess</c>, and never while
/// forwarded headers are processed. The framework's forwarded-headers middleware takes <c>X-Forwarded-For</c>
/// off the request and puts its address in the connection before any endpoint runs, so a client that sends
/// <c>X-Forwarded-For: 127.0.0.1</c> would look local; the request no longer says it was forwarded.
/// </summary>
public sealed class TraceLoopbackAccess
{
    /// <summary>The configuration key that <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> becomes.</summary>
    public const string ForwardedHeadersEnabledKey = "ForwardedHeaders_Enabled";

    public TraceLoopbackAccess(IOptions<TraceViewerOptions> options, IOptions<ForwardedHeadersOptions> forwarded, IConfiguration configuration)
    {
        if (string.Equals(configuration[ForwardedHeadersEnabledKey], "true", StringComparison.OrdinalIgnoreCase))
            ForwardedHeadersSource = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";
        else if (forwarded.Value.ForwardedHeaders != ForwardedHeaders.None)
            ForwardedHeadersSource = nameof(ForwardedHeadersOptions);
        IsOn = ForwardedHeadersSource is null && options.Value.LoopbackAccess;
    }

    public bool IsOn { get; }

    /// <summary>What turned forwarded-header processing on, for the log at start; null when it is off.</summary>
    public string? ForwardedHeadersSource { get; }

    public bool Admits(HttpContext context) => IsOn && LoopbackCaller.IsLocal(context);
}
