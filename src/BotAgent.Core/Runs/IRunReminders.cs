namespace BotAgent.Core.Runs;

/// <summary>
/// Storage port for the reminder sent shortly before a run's deadline. The deadline itself is enforced by
/// <see cref="IRunTransitions.ExpireOverdueAsync"/>.
/// </summary>
public interface IRunReminders
{
    /// <summary>
    /// Runs awaiting approval or a decision whose deadline falls within <paramref name="window"/> and that were not
    /// reminded of it yet (a new deadline, set by a transition, gets its own reminder); marks them reminded.
    /// </summary>
    Task<IReadOnlyList<string>> TakeDueRemindersAsync(DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>
    /// Runs that changed after <paramref name="since"/> and before <paramref name="settledBefore"/> later than anything
    /// queued for their plan card: a change the card shows (a step's result, a decision) was stored but the refresh queued
    /// after it was not (a process stopped between the two writes). At most <paramref name="max"/>, oldest change first.
    /// </summary>
    Task<IReadOnlyList<string>> CardsBehindAsync(DateTimeOffset since, DateTimeOffset settledBefore, int max, CancellationToken cancellationToken);
}
