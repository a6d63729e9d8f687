using Microsoft.Extensions.Logging;

namespace BotAgent.Tools.Mcp;

internal static partial class Log
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "MCP server '{Server}' connected with {ToolCount} tool(s)")]
    public static partial void McpConnected(this ILogger logger, string server, int toolCount);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "MCP server '{Server}' is unavailable: {Reason}; next attempt in {RetryInMs} ms")]
    public static partial void McpUnavailable(this ILogger logger, string server, string reason, long retryInMs);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "MCP server '{Server}' lost its session: {Reason}; reconnecting")]
    public static partial void McpSessionLost(this ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "MCP server '{Server}' offers tool '{Tool}', which is skipped: {Reason}")]
    public static partial void McpToolSkipped(this ILogger logger, string server, string tool, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "MCP server '{Server}' stderr: {Line}")]
    public static partial void McpStandardError(this ILogger logger, string server, string line);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "MCP servers still connecting after {WaitMs} ms at start: {Servers}; the bot starts without their tools")]
    public static partial void McpStillConnecting(this ILogger logger, long waitMs, string servers);
}
