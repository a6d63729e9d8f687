using System.Text.Json.Nodes;
using BotAgent.Core.Traces;

namespace BotAgent.Core.Runs;

/// <summary>
/// Cancelling a run, whatever state it is in: a run that is executing is asked to stop at its next checkpoint (the
/// instance running it ends it, <see cref="Execution.RunFinisher.CancelAsync"/>); any other active run ends at once.
/// </summary>
public sealed class RunCancellation(IRunLeases runs, RunJournal journal, WorkSignals signals)
{
    public async Task<CancellationResult> CancelAsync(Run run, string by, CancellationToken cancellationToken)
    {
        if (run.Status == RunStatus.Running)
        {
            if (!await runs.RequestCancelAsync(run.Id, by, cancellationToken))
                return CancellationResult.AlreadyFinished;
            signals.Runs.Set();
            return CancellationResult.Requested;
        }
        var cancelled = await journal.MoveAsync(new RunMove(run.Id, run.Status, RunStatus.Cancelled, new RunChanges(Outcome: $"cancelled by {by}"),
            new RunTrace(TraceTypes.RunFinished, new JsonObject { ["status"] = "cancelled", ["by"] = by })), cancellationToken);
        return cancelled is null ? CancellationResult.Moved : CancellationResult.Cancelled;
    }
}

public enum CancellationResult
{
    /// <summary>The run was executing: it stops at its next checkpoint.</summary>
    Requested,

    /// <summary>The run ended now.</summary>
    Cancelled,

    /// <summary>The run finished before the request reached it.</summary>
    AlreadyFinished,

    /// <summary>The run changed state in the meantime (someone else moved it).</summary>
    Moved,
}
