using Microsoft.Extensions.Logging;

namespace BotAgent.Storage;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Id} to {DataSource}")]
    public static partial void MigrationApplied(this ILogger logger, string id, string dataSource);
}
