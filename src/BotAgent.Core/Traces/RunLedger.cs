using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Traces;

/// <summary>
/// Everything recorded about one run, as the trace viewer and the export show it: the run, every plan
/// version, the decisions, every step attempt, the resolutions of unknown outcomes and both trace lanes.
/// </summary>
/// <param name="Plans">Versions 1 to the run's current one, in order (a version missing from the store is left out).</param>
/// <param name="Events">Planning and execution events in time order.</param>
public sealed record RunLedger(
    Run Run,
    IReadOnlyList<PlanVersion> Plans,
    IReadOnlyList<ApprovalDecision> Decisions,
    IReadOnlyList<StepAttempt> Attempts,
    IReadOnlyList<StepResolution> Resolutions,
    IReadOnlyList<TraceEvent> Events)
{
    public RunVerdict Verdict => RunVerdicts.Of(Run);

    /// <summary>When the last thing recorded about the run happened (the timeline's right edge).</summary>
    public DateTimeOffset LastActivityAt
    {
        get
        {
            var last = Run.UpdatedAt;
            foreach (var e in Events)
                last = Max(last, e.At);
            foreach (var a in Attempts)
                last = Max(last, a.FinishedAt ?? a.StartedAt);
            foreach (var d in Decisions)
                last = Max(last, d.DecidedAt);
            return last;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
