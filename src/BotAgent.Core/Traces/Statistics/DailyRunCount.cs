using BotAgent.Core.Runs;

namespace BotAgent.Core.Traces.Statistics;

/// <param name="Verdict">The run's goal verdict; null when it has none (still open, or ended before one was judged).</param>
public sealed record DailyRunCount(DateOnly Day, GoalStatus? Verdict, int Runs);
