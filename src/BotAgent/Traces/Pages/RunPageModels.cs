using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Traces;

namespace BotAgent.Traces.Pages;

/// <summary>
/// <c>/runs/{id}</c> as its templates (RunDetail.cshtml and the sections it renders) need it: the ledger, already
/// redacted, and what <see cref="RunPage"/> worked out from it.
/// </summary>
/// <param name="BasePath">The app's path base, for links.</param>
public sealed record RunPageModel(
    RunLedger Ledger, string BasePath, LaneChartModel Chart, IReadOnlyList<PlanCard> Plans, IReadOnlyList<ToolCallRow> ToolCalls, IReadOnlyList<EventRow> Events);

/// <param name="Changes">What changed since the version before; null for the first.</param>
public sealed record PlanCard(PlanVersion Version, bool Current, PlanChanges? Changes, IReadOnlyList<PlanStepRow> Steps);

public sealed record PlanChanges(int From, IReadOnlyList<PlanChange> Lines);

/// <param name="Kind">The line's CSS class: added, removed, changed or risk.</param>
public sealed record PlanChange(string Kind, string Text);

/// <param name="Change">Against the version before: "added", "changed" or "".</param>
/// <param name="Args">The arguments as indented JSON.</param>
/// <param name="Last">The state of the step's latest attempt under this version; null when it has none.</param>
/// <param name="Skipped">The current version skipped the step (it never ran).</param>
public sealed record PlanStepRow(PlanStep Step, string Change, string Args, StepState? Last, bool Skipped);

/// <param name="Args">The arguments as indented JSON.</param>
/// <param name="Output">The start of the output, as much as the page shows; null when there was none.</param>
/// <param name="OutputCut">The page shows less than all of it.</param>
public sealed record ToolCallRow(StepAttempt Attempt, string Args, string? Output, bool OutputCut);

/// <param name="Data">The event's data as indented JSON, shortened; null when it has none.</param>
public sealed record EventRow(TraceEvent Event, string? Data);
