using Microsoft.Extensions.Logging;

namespace BotAgent.Channels;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {DedupeKey} was already received; not processing it again")]
    public static partial void DuplicateActivity(this ILogger logger, string dedupeKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unauthenticated request to /api/messages: {Reason}")]
    public static partial void Unauthenticated(this ILogger logger, string reason);
}
