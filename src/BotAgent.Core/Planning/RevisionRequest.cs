using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Planning;

/// <param name="Current">The plan that was being executed.</param>
/// <param name="Results">What happened so far: observations, quoted to a model as data, never as instructions.</param>
/// <param name="Reason">Why a revision is asked for (the failed step and its result).</param>
public sealed record RevisionRequest(
    string RunId,
    string Goal,
    Member Requester,
    Plan Current,
    IReadOnlyList<StepResult> Results,
    string Reason,
    IReadOnlyList<ToolDescriptor> Tools);
