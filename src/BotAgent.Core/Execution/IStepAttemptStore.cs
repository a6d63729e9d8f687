namespace BotAgent.Core.Execution;

/// <summary>Storage port for step attempts (the execution ledger).</summary>
public interface IStepAttemptStore
{
    /// <summary>Writes the attempt as running before the tool is called; returns its id.</summary>
    Task<long> StartAsync(StepAttempt attempt, CancellationToken cancellationToken);

    Task FinishAsync(long attemptId, StepState state, DateTimeOffset finishedAt, string summary, string? output, string? error, Tools.ToolMeasures? measures, CancellationToken cancellationToken);

    Task<IReadOnlyList<StepAttempt>> ListAsync(string runId, CancellationToken cancellationToken);
}
