using BotAgent.Core.Execution;

namespace BotAgent.Core.Planning;

/// <param name="Succeeded">Every step that ran succeeded.</param>
/// <param name="Skipped">Steps of the plan that were not run because the goal was already decided.</param>
/// <param name="Goal">The verdict the steps' expectations give (without a model); a model may judge otherwise.</param>
public sealed record SummaryRequest(
    string RunId,
    Intake.Member Requester,
    Plan Plan,
    IReadOnlyList<StepResult> Results,
    bool Succeeded,
    IReadOnlyList<string>? Skipped = null,
    Runs.GoalVerdict? Goal = null,
    string? StoppedBecause = null);
