namespace BotAgent;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "BotAgent is listening on {Endpoint} ({Mode})")]
    public static partial void Listening(this ILogger logger, string endpoint, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat with the bot in a browser: {Url} ({Mode})")]
    public static partial void ChatPage(this ILogger logger, string url, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503 to {Path}: the store is not reachable ({Reason})")]
    public static partial void StoreUnavailable(this ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local mode: no MicrosoftAppId is configured, so requests are not authenticated; only callers on this machine are accepted (BotFramework:DangerouslyAllowRemoteUnauthenticated overrides). Configure MicrosoftAppId for Teams.")]
    public static partial void LocalModeWarning(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Requests must name one of these hosts: {Hosts} (others get 400; /healthz and /readyz answer any). Behind a tunnel or proxy that keeps its own host name, set BotFramework:PublicBaseUrl to the address people reach the bot at, or AllowedHosts.")]
    public static partial void AllowedHosts(this ILogger logger, string hosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Requests may name any host: the bot listens on every interface and no public address is configured. Set BotFramework:PublicBaseUrl or AllowedHosts to refuse requests meant for other names.")]
    public static partial void AnyHostAllowed(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request for host '{Host}': this bot answers to {Allowed}. If people or a service (Slack, a tunnel, a proxy) reach the bot at that name, set BotFramework:PublicBaseUrl to that address, or AllowedHosts.")]
    public static partial void HostRefused(this ILogger logger, string host, string allowed);

    // The trace viewer, at start: who may open it.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace pages: loopback access is off because {Source} turns on forwarded-header processing (a client could then claim to be 127.0.0.1). People need Traces:AccessToken or Traces:Entra sign-in.")]
    public static partial void LoopbackOffForForwardedHeaders(this ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace pages: loopback access is off (Traces:LoopbackAccess=false).")]
    public static partial void LoopbackOffBySetting(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace pages: nobody can open them: loopback access is off and neither Traces:AccessToken nor Traces:Entra is configured.")]
    public static partial void NobodyMayLook(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace pages: Traces:DangerouslyAllowRemoteWithoutToken is on, so anyone who can reach the bot may read every run.")]
    public static partial void AnyoneMayLook(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace pages: sign-in with Entra ID (tenant {TenantId}); {Groups} allowed group(s), {Roles} allowed app role(s).")]
    public static partial void EntraSignIn(this ILogger logger, string tenantId, int groups, int roles);
}
