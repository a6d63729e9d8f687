using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Runs;

namespace BotAgent.Testing;

/// <summary>Moves that announce nothing, for tests of the store's state machine rather than of what a move says.</summary>
public static class RunTransitionsExtensions
{
    public static async Task<bool> TransitionAsync(this IRunTransitions transitions, string runId, RunStatus from, RunStatus to, RunChanges changes, CancellationToken cancellationToken) =>
        await transitions.TransitionAsync(runId, from, to, changes, static _ => [], cancellationToken) is not null;

    public static async Task<IReadOnlyList<string>> ExpireOverdueAsync(this IRunTransitions transitions, DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await transitions.ExpireOverdueAsync(now, static _ => [], cancellationToken)).Select(r => r.Id)];

    public static Task<DecisionRecord> DecideAsync(this IRunTransitions transitions, ApprovalDecision decision, int quorum, CancellationToken cancellationToken) =>
        transitions.DecideAsync(decision, quorum, static _ => [], cancellationToken);

    public static Task<bool> ResolveStepAsync(this IRunTransitions transitions, StepResolution resolution, CancellationToken cancellationToken) =>
        transitions.ResolveStepAsync(resolution, static _ => [], cancellationToken);
}
