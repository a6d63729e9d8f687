namespace BotAgent;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "BotAgent is listening on {Endpoint} ({Mode})")]
    public static partial void Listening(this ILogger logger, string endpoint, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local mode: no MicrosoftAppId is configured, so requests are not authenticated; only callers on this machine are accepted (BotFramework:DangerouslyAllowRemoteUnauthenticated overrides). Configure MicrosoftAppId for Teams.")]
    public static partial void LocalModeWarning(this ILogger logger);
}
