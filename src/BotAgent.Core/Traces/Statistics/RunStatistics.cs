namespace BotAgent.Core.Traces.Statistics;

/// <summary>What <see cref="IRunStatistics"/> found in a period, unaggregated where the store cannot aggregate portably.</summary>
/// <param name="Runs">Runs by the day they were created and their goal verdict; days without runs are absent.</param>
/// <param name="Decisions">Plan versions decided in the period, newest first, at most <see cref="MaxDecisions"/>.</param>
/// <param name="Tools">Finished step attempts per tool, the most used first, at most <see cref="MaxTools"/> tools.</param>
/// <param name="Tokens">Model calls and their tokens by day; days without calls are absent.</param>
public sealed record RunStatistics(
    IReadOnlyList<DailyRunCount> Runs,
    IReadOnlyList<DecisionWait> Decisions,
    IReadOnlyList<ToolAttemptCount> Tools,
    IReadOnlyList<DailyTokenCount> Tokens)
{
    /// <summary>Durations are read one per decision (percentiles are not portable SQL); beyond this, the newest are kept.</summary>
    public const int MaxDecisions = 20_000;

    public const int MaxTools = 20;

    public static RunStatistics Empty { get; } = new([], [], [], []);
}
