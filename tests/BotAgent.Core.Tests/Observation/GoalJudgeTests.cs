using BotAgent.Core.Execution;
using BotAgent.Core.Observation;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Observation;

public sealed class GoalJudgeTests
{
    private static Plan PlanWith(string criteria) => new("Check checkout", [], RiskLevel.ReadOnly, criteria);

    private static readonly Plan Plan = PlanWith("Checkout answers and logs show no timeouts");

    private static StepResult Result(string id, StepState state = StepState.Succeeded, ExpectationResult? expectation = null, string summary = "done") =>
        new(0, id, $"Step {id}", "http.get", state, summary, "output", null, 1, TimeSpan.FromMilliseconds(5), Expectation: expectation);

    private static ExpectationResult Met(string detail) => new(ExpectationState.Met, detail);

    private static ExpectationResult Unmet(string detail) => new(ExpectationState.Unmet, detail);

    [Fact]
    public void A_failed_step_means_the_goal_was_not_met_with_that_step_as_evidence()
    {
        var verdict = GoalJudge.Judge(Plan, [Result("s1", expectation: Met("HTTP 200")), Result("s2", StepState.Failed, summary: "connection refused")], 0);

        Assert.Equal(GoalStatus.NotMet, verdict.Verdict);
        Assert.Equal("step s2 failed: connection refused", verdict.Reason);
        Assert.Equal(["s2"], verdict.Evidence);
    }

    [Fact]
    public void A_step_that_timed_out_counts_as_failed()
    {
        var verdict = GoalJudge.Judge(Plan, [Result("s1", StepState.TimedOut, summary: "no answer in 10 s")], 0);

        Assert.Equal(GoalStatus.NotMet, verdict.Verdict);
        Assert.Equal("step s1 timed_out: no answer in 10 s", verdict.Reason);
    }

    [Fact]
    public void A_failure_of_an_earlier_plan_version_that_was_revised_away_is_not_held_against_the_goal()
    {
        var results = new[] { Result("s1", StepState.Failed), Result("s1b", expectation: Met("HTTP 200")) };

        var verdict = GoalJudge.Judge(Plan, results, first: 1);

        Assert.Equal(GoalStatus.Met, verdict.Verdict);
        Assert.Equal(["s1b"], verdict.Evidence);
    }

    [Fact]
    public void An_unmet_expectation_of_an_earlier_plan_version_that_was_revised_away_is_not_held_against_the_goal()
    {
        var results = new[] { Result("s1", expectation: Unmet("expected HTTP 2xx, got 503")), Result("s1b", expectation: Met("HTTP 200")) };

        var verdict = GoalJudge.Judge(Plan, results, first: 1);

        Assert.Equal(GoalStatus.Met, verdict.Verdict);
        Assert.Equal(["s1b"], verdict.Evidence);
    }

    [Fact]
    public void A_planner_stopping_after_a_failure_was_revised_away_is_judged_by_the_last_version()
    {
        var results = new[] { Result("s1", StepState.Failed), Result("s1b", expectation: Met("HTTP 200")) };

        var verdict = GoalJudge.Judge(Plan, results, first: 1, stopped: "the service answers again");

        Assert.Equal(GoalStatus.Met, verdict.Verdict);
    }

    [Fact]
    public void An_unmet_expectation_means_the_goal_was_not_met()
    {
        var verdict = GoalJudge.Judge(Plan, [Result("s1", expectation: Met("HTTP 200")), Result("s2", expectation: Unmet("expected at most 0, found 12"))], 0);

        Assert.Equal(GoalStatus.NotMet, verdict.Verdict);
        Assert.Equal("step s2 did not show what was expected: expected at most 0, found 12", verdict.Reason);
        Assert.Equal(["s2"], verdict.Evidence);
    }

    [Fact]
    public void When_every_expectation_held_the_goal_was_met_with_those_steps_as_evidence()
    {
        var results = new[] { Result("s1", expectation: Met("HTTP 200")), Result("s2"), Result("s3", expectation: Met("0 found")) };

        var verdict = GoalJudge.Judge(Plan, results, 0);

        Assert.Equal(GoalStatus.Met, verdict.Verdict);
        Assert.Equal("every expectation held: s1 HTTP 200; s3 0 found", verdict.Reason);
        Assert.Equal(["s1", "s3"], verdict.Evidence);
    }

    [Theory]
    [InlineData(GoalJudge.EveryStepSucceeds)]
    [InlineData("  every step succeeds.  ")]
    public void Without_expectations_the_goal_is_met_when_every_step_succeeding_is_the_plans_criterion(string criteria)
    {
        var verdict = GoalJudge.Judge(PlanWith(criteria), [Result("s1"), Result("s2")], 0);

        Assert.Equal(GoalStatus.Met, verdict.Verdict);
        Assert.Equal(["s1", "s2"], verdict.Evidence);
    }

    [Theory]
    [InlineData("Every step succeeds")]
    [InlineData("Checkout answers and logs show no timeouts")]
    public void Without_expectations_any_other_criterion_is_left_inconclusive_for_people(string criteria)
    {
        var verdict = GoalJudge.Judge(PlanWith(criteria), [Result("s1"), Result("s2")], 0);

        Assert.Equal(GoalStatus.Inconclusive, verdict.Verdict);
        Assert.Contains($"\"{criteria}\"", verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(["s1", "s2"], verdict.Evidence);
    }

    [Fact]
    public void An_expectation_that_could_not_be_checked_leaves_the_goal_inconclusive()
    {
        var results = new[] { Result("s1", expectation: Met("HTTP 200")), Result("s2", expectation: new(ExpectationState.Unchecked, "no count was reported")) };

        var verdict = GoalJudge.Judge(Plan, results, 0);

        Assert.Equal(GoalStatus.Inconclusive, verdict.Verdict);
        Assert.Equal("step s2's expectation could not be checked: no count was reported", verdict.Reason);
        Assert.Equal(["s2"], verdict.Evidence);
    }

    [Fact]
    public void An_unmet_expectation_outweighs_one_that_could_not_be_checked()
    {
        var results = new[] { Result("s1", expectation: new(ExpectationState.Unchecked, "no count was reported")), Result("s2", expectation: Unmet("expected HTTP 2xx, got 500")) };

        Assert.Equal(GoalStatus.NotMet, GoalJudge.Judge(Plan, results, 0).Verdict);
    }

    [Fact]
    public void With_nothing_run_the_goal_is_inconclusive_saying_why()
    {
        var nothing = GoalJudge.Judge(Plan, [], 0);
        Assert.Equal(GoalStatus.Inconclusive, nothing.Verdict);
        Assert.Equal("no step ran", nothing.Reason);

        var stopped = GoalJudge.Judge(Plan, [], 0, "the revision was rejected");
        Assert.Equal(GoalStatus.Inconclusive, stopped.Verdict);
        Assert.Equal("the revision was rejected", stopped.Reason);
        Assert.Empty(stopped.Evidence);
    }
}
