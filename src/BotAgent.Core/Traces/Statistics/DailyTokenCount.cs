namespace BotAgent.Core.Traces.Statistics;

public sealed record DailyTokenCount(DateOnly Day, int Calls, long InputTokens, long OutputTokens);
