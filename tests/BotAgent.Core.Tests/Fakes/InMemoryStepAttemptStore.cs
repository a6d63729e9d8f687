using BotAgent.Core.Execution;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>Step attempts in memory, numbered as the database numbers them.</summary>
internal sealed class InMemoryStepAttemptStore : IStepAttemptStore
{
    private readonly List<StepAttempt> _attempts = [];

    public Task<long> StartAsync(StepAttempt attempt, CancellationToken cancellationToken)
    {
        lock (_attempts)
        {
            var stored = attempt with { Id = _attempts.Count + 1 };
            _attempts.Add(stored);
            return Task.FromResult(stored.Id);
        }
    }

    public Task FinishAsync(long attemptId, StepState state, DateTimeOffset finishedAt, string summary, string? output, string? error, ToolMeasures? measures, CancellationToken cancellationToken)
    {
        lock (_attempts)
        {
            var i = _attempts.FindIndex(a => a.Id == attemptId);
            _attempts[i] = _attempts[i] with { State = state, FinishedAt = finishedAt, Summary = summary, Output = output, Error = error, Measures = measures };
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StepAttempt>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_attempts)
            return Task.FromResult<IReadOnlyList<StepAttempt>>([.. _attempts.Where(a => a.RunId == runId)]);
    }
}
