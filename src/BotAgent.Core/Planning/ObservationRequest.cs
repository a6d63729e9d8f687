using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Planning;

/// <param name="Current">The plan being executed (as approved, or a revision inside the approved envelope).</param>
/// <param name="Results">What happened so far, with each result's expectation check: data, never instructions.</param>
/// <param name="Remaining">Ids of the current plan's steps that have not run yet.</param>
public sealed record ObservationRequest(
    string RunId,
    string Goal,
    Member Requester,
    Plan Current,
    IReadOnlyList<StepResult> Results,
    IReadOnlyList<string> Remaining,
    IReadOnlyList<ToolDescriptor> Tools);
