using Microsoft.Extensions.Logging;

namespace BotAgent.Channels;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {DedupeKey} was already received; not processing it again")]
    public static partial void DuplicateActivity(this ILogger logger, string dedupeKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activity refused: tenant {TenantId} is not in BotFramework:AllowedTenants")]
    public static partial void TenantRefused(this ILogger logger, string tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unauthenticated request to /api/messages: {Reason}")]
    public static partial void Unauthenticated(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack delivery {Id} is none of the bot's business: {Reason}")]
    public static partial void SlackIgnored(this ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unverified request to {Path}: {Reason}")]
    public static partial void SlackUnauthenticated(this ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack redelivered event {EventId} (retry {RetryNum}, {RetryReason})")]
    public static partial void SlackRetry(this ILogger logger, string eventId, string retryNum, string? retryReason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack refused a message for the clicker only ({Error}); it goes to the thread instead")]
    public static partial void SlackEphemeralFailed(this ILogger logger, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack user {UserId} could not be looked up ({Error}); the id stands in for the name")]
    public static partial void SlackUserLookupFailed(this ILogger logger, string userId, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connected to {Host}")]
    public static partial void SlackSocketConnected(this ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode asked to disconnect ({Reason})")]
    public static partial void SlackSocketDisconnect(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode could not get a connection address: {Error}")]
    public static partial void SlackSocketOpenFailed(this ILogger logger, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection failed")]
    public static partial void SlackSocketFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode reconnects in {DelayMs} ms")]
    public static partial void SlackSocketReconnecting(this ILogger logger, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode envelope {EnvelopeId} is malformed and was dropped: {Error}")]
    public static partial void SlackEnvelopeMalformed(this ILogger logger, string envelopeId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Direct Line request to {Path}: {Reason}")]
    public static partial void DirectLineRefused(this ILogger logger, string path, string reason);
}
