using Microsoft.Extensions.Logging;

namespace BotAgent.Storage;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Id} to {Database}")]
    public static partial void MigrationApplied(this ILogger logger, string id, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming work a previous process left unfinished: {Runs} run(s), {Items} inbound item(s); {Messages} message(s) it was sending were recovered")]
    public static partial void Recovered(this ILogger logger, int runs, int items, int messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store is not available yet (attempt {Attempt}): {Reason}; trying again")]
    public static partial void StoreUnavailableAtStart(this ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} finished run(s) older than {Days} day(s)")]
    public static partial void RetentionDeleted(this ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention sweep failed")]
    public static partial void RetentionFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WAL checkpoint beside the writer failed; trying again every half second, and saying so when one succeeds")]
    public static partial void CheckpointFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "WAL checkpoints beside the writer succeed again")]
    public static partial void CheckpointRecovered(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A trace event could not be written; it is missing from its run's trace")]
    public static partial void AppendFailed(this ILogger logger, Exception exception);
}
