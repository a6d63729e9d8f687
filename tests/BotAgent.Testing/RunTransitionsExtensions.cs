using BotAgent.Core.Runs;

namespace BotAgent.Testing;

/// <summary>Moves that announce nothing, for tests of the store's state machine rather than of what a move says.</summary>
public static class RunTransitionsExtensions
{
    public static async Task<bool> TransitionAsync(this IRunTransitions transitions, string runId, RunStatus from, RunStatus to, RunChanges changes, CancellationToken cancellationToken) =>
        await transitions.TransitionAsync(runId, from, to, changes, static _ => [], cancellationToken) is not null;

    public static async Task<IReadOnlyList<string>> ExpireOverdueAsync(this IRunTransitions transitions, DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await transitions.ExpireOverdueAsync(now, static _ => [], cancellationToken)).Select(r => r.Id)];
}
