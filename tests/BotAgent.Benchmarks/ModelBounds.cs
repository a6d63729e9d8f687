namespace BotAgent.Benchmarks;

/// <summary>
/// The bounds of (8) Model overhead: the loopback model's latency (<c>--model-latency 800</c>, in ms) and the loads put
/// through a bot that uses it. About 25 s a round on two cores; <see cref="Quick"/> is a smoke run.
/// </summary>
internal sealed record ModelBounds
{
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>The bar on goal → card p99: the model's latency plus this.</summary>
    public TimeSpan Allowance { get; init; } = TimeSpan.FromMilliseconds(30);

    public double GoalsPerSecond { get; init; } = 20;
    public TimeSpan GoalDuration { get; init; } = TimeSpan.FromSeconds(10);
    public int Approvals { get; init; } = 50;
    public double ApprovalsPerSecond { get; init; } = 5;

    /// <summary>Paced goals, then runs planned, approved and summarised, before measuring, so both paths are compiled and warm.</summary>
    public TimeSpan WarmUpGoals { get; init; } = TimeSpan.FromSeconds(4);
    public int WarmUpRuns { get; init; } = 50;

    public static ModelBounds Quick { get; } = new() { GoalDuration = TimeSpan.FromSeconds(3), Approvals = 15, WarmUpGoals = TimeSpan.FromSeconds(1), WarmUpRuns = 16 };
}
