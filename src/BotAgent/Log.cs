namespace BotAgent;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "BotAgent is listening on {Endpoint} ({Mode})")]
    public static partial void Listening(this ILogger logger, string endpoint, string mode);
}
