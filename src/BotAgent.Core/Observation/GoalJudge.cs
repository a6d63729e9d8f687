using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Observation;

/// <summary>
/// Whether the goal was met, judged without a model from what ran: a failed step or an unmet expectation is
/// evidence it was not; expectations that all held are evidence it was; steps that succeeded without saying what
/// to expect leave it to people, unless success of every step is the plan's own criterion.
/// A model planner may judge otherwise in its summary; this is what stands when it cannot.
/// </summary>
public static class GoalJudge
{
    /// <summary>The success criterion the offline planner gives numbered steps: meeting it needs no expectation.</summary>
    public const string EveryStepSucceeds = "Every step succeeds.";

    /// <param name="results">What ran, in order, every plan version.</param>
    /// <param name="first">Where the results of <paramref name="plan"/> (the last version) start.</param>
    /// <param name="stopped">Why the run ended early, when it did (a refused revision, a planner's "done").</param>
    public static GoalVerdict Judge(Plan plan, IReadOnlyList<StepResult> results, int first, string? stopped = null)
    {
        if (results.Skip(first).FirstOrDefault(r => !r.Succeeded) is { } failed)
            return new(GoalStatus.NotMet, $"step {failed.StepId} {failed.State.ToWire()}: {failed.Summary}", [failed.StepId]);
        // Earlier versions' failures and unmet expectations were what a revision answered: the last version is judged.
        var last = results.Skip(first).ToList();
        if (last.FirstOrDefault(r => r.Succeeded && r.Expectation?.State == ExpectationState.Unmet) is { } unmet)
            return new(GoalStatus.NotMet, $"step {unmet.StepId} did not show what was expected: {unmet.Expectation!.Detail}", [unmet.StepId]);
        if (results.Count == 0)
            return new(GoalStatus.Inconclusive, stopped ?? "no step ran", []);
        if (last.FirstOrDefault(r => r.Expectation?.State == ExpectationState.Unchecked) is { } unchecked_)
            return new(GoalStatus.Inconclusive, $"step {unchecked_.StepId}'s expectation could not be checked: {unchecked_.Expectation!.Detail}", [unchecked_.StepId]);

        var held = results.Where(r => r.Expectation?.State == ExpectationState.Met).ToList();
        if (held.Count > 0)
            return new(GoalStatus.Met, "every expectation held: " + string.Join("; ", held.Select(r => $"{r.StepId} {r.Expectation!.Detail}")), [.. held.Select(r => r.StepId).Distinct()]);
        if (string.Equals(plan.SuccessCriteria.Trim(), EveryStepSucceeds, StringComparison.OrdinalIgnoreCase))
            return new(GoalStatus.Met, "every step succeeded, which is this plan's success criterion", [.. results.Select(r => r.StepId).Distinct()]);
        return new(GoalStatus.Inconclusive,
            $"every step succeeded, but no step said what result to expect, so whether \"{Reporting.TextExcerpt.Truncate(plan.SuccessCriteria, 200)}\" holds is for people to judge",
            [.. results.Select(r => r.StepId).Distinct()]);
    }
}
