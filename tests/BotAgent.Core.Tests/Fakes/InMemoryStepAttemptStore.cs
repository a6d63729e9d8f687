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

    /// <summary>What a move with <see cref="Runs.RunChanges.InterruptedAttempts"/> does to the run's open attempts.</summary>
    public void Interrupt(string runId, string summary, DateTimeOffset at)
    {
        lock (_attempts)
        {
            for (var i = 0; i < _attempts.Count; i++)
            {
                if (_attempts[i].RunId == runId && _attempts[i].State == StepState.Running)
                    _attempts[i] = _attempts[i] with { State = StepState.OutcomeUnknown, FinishedAt = at, Summary = summary, Error = "interrupted" };
            }
        }
    }

    public Task<IReadOnlyList<StepAttempt>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_attempts)
            return Task.FromResult<IReadOnlyList<StepAttempt>>([.. _attempts.Where(a => a.RunId == runId)]);
    }
}
