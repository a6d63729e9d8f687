namespace BotAgent.Tools.Sql;

/// <summary>A statement the tool will not run; <see cref="SqlQueryTool"/> turns it into a refusal outcome.</summary>
internal sealed class SqlRefusedException(string reason) : Exception(reason);
