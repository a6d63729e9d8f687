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
}
