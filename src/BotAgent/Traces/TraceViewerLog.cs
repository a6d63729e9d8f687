namespace BotAgent.Traces;

/// <summary>What the trace viewer says at start about who may open it.</summary>
internal static partial class TraceViewerLog
{
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
