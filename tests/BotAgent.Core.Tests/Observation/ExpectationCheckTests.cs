using BotAgent.Core.Observation;
using BotAgent.Core.Planning;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Observation;

public sealed class ExpectationCheckTests
{
    private static ExpectationResult Check(Expectation expect, ToolMeasures? measures = null, string? output = null) =>
        ExpectationCheck.Check(expect, measures, output);

    [Fact]
    public void A_step_without_an_expectation_says_nothing()
    {
        var result = ExpectationCheck.Check(null, new ToolMeasures(Status: 500), "boom");

        Assert.Equal(ExpectationState.None, result.State);
        Assert.Equal("", result.Detail);
    }

    [Theory]
    [InlineData("2xx", 200)]
    [InlineData("2xx", 204)]
    [InlineData("2xx", 299)]
    [InlineData("2XX", 201)]
    [InlineData(" 4xx ", 404)]
    [InlineData("5xx", 503)]
    [InlineData("204", 204)]
    public void A_status_class_or_exact_code_that_matches_is_met(string expected, int code)
    {
        var result = Check(new Expectation(Status: expected), new ToolMeasures(Status: code));

        Assert.Equal(ExpectationState.Met, result.State);
        Assert.Equal($"HTTP {code}", result.Detail);
    }

    [Theory]
    [InlineData("2xx", 301)]
    [InlineData("2xx", 199)]
    [InlineData("204", 200)]
    [InlineData("5xx", 404)]
    public void A_status_that_does_not_match_is_unmet_saying_what_came_back(string expected, int code)
    {
        var result = Check(new Expectation(Status: expected), new ToolMeasures(Status: code));

        Assert.Equal(ExpectationState.Unmet, result.State);
        Assert.Equal($"expected HTTP {expected}, got {code}", result.Detail);
    }

    [Theory]
    [InlineData("2xx", 200, true)]
    [InlineData("2xx", 300, false)]
    [InlineData("200", 200, true)]
    [InlineData("200", 201, false)]
    [InlineData("6xx", 600, false)]
    [InlineData("0xx", 50, false)]
    [InlineData("+200", 200, false)]
    [InlineData("2x", 200, false)]
    [InlineData("ok", 200, false)]
    public void StatusMatches_knows_classes_and_exact_codes_only(string expected, int code, bool matches)
    {
        Assert.Equal(matches, ExpectationCheck.StatusMatches(expected, code));
    }

    [Fact]
    public void A_status_expectation_is_unchecked_when_the_tool_reports_no_status()
    {
        var result = Check(new Expectation(Status: "2xx"), new ToolMeasures(Count: 3), "ok");

        Assert.Equal(ExpectationState.Unchecked, result.State);
        Assert.Equal("no HTTP status was reported", result.Detail);
    }

    [Theory]
    [InlineData(1L, null, 1L, true)]
    [InlineData(1L, null, 0L, false)]
    [InlineData(null, 0L, 0L, true)]
    [InlineData(null, 0L, 1L, false)]
    [InlineData(2L, 5L, 5L, true)]
    [InlineData(2L, 5L, 6L, false)]
    public void Counts_are_checked_against_min_and_max_inclusively(long? min, long? max, long count, bool met)
    {
        var result = Check(new Expectation(MinCount: min, MaxCount: max), new ToolMeasures(Count: count));

        Assert.Equal(met ? ExpectationState.Met : ExpectationState.Unmet, result.State);
    }

    [Fact]
    public void Count_details_say_what_was_expected_and_found()
    {
        Assert.Equal("3 found", Check(new Expectation(MinCount: 1), new ToolMeasures(Count: 3)).Detail);
        Assert.Equal("expected at least 2, found 1", Check(new Expectation(MinCount: 2), new ToolMeasures(Count: 1)).Detail);
        Assert.Equal("expected at most 0, found 4", Check(new Expectation(MaxCount: 0), new ToolMeasures(Count: 4)).Detail);
    }

    [Fact]
    public void A_count_expectation_is_unchecked_when_the_tool_counts_nothing()
    {
        var result = Check(new Expectation(MinCount: 1), new ToolMeasures(Status: 200));

        Assert.Equal(ExpectationState.Unchecked, result.State);
        Assert.Equal("no count was reported", result.Detail);
    }

    [Theory]
    [InlineData(0.5, null, 0.75, true)]
    [InlineData(0.5, null, 0.5, false)]
    [InlineData(null, 0.9, 0.89, true)]
    [InlineData(null, 0.9, 0.9, false)]
    [InlineData(1.0, 2.0, 1.5, true)]
    [InlineData(1.0, 2.0, 2.5, false)]
    [InlineData(1.0, 2.0, 0.5, false)]
    public void Values_must_be_strictly_above_and_below_the_bounds(double? above, double? below, double value, bool met)
    {
        var result = Check(new Expectation(Above: above, Below: below), new ToolMeasures(Value: value));

        Assert.Equal(met ? ExpectationState.Met : ExpectationState.Unmet, result.State);
    }

    [Fact]
    public void Value_details_say_the_bound_and_the_value()
    {
        Assert.Equal("expected a value above 0.5, got 0.25", Check(new Expectation(Above: 0.5), new ToolMeasures(Value: 0.25)).Detail);
        Assert.Equal("expected a value below 100, got 250", Check(new Expectation(Below: 100), new ToolMeasures(Value: 250)).Detail);
        Assert.Equal("value 0.75", Check(new Expectation(Above: 0.5), new ToolMeasures(Value: 0.75)).Detail);
    }

    [Fact]
    public void A_not_a_number_value_is_neither_above_nor_below_anything()
    {
        Assert.Equal(ExpectationState.Unmet, Check(new Expectation(Above: 0), new ToolMeasures(Value: double.NaN)).State);
        Assert.Equal(ExpectationState.Unmet, Check(new Expectation(Below: 0), new ToolMeasures(Value: double.NaN)).State);
    }

    [Fact]
    public void A_value_expectation_is_unchecked_when_no_value_was_reported()
    {
        var result = Check(new Expectation(Below: 1), new ToolMeasures(Count: 0));

        Assert.Equal(ExpectationState.Unchecked, result.State);
        Assert.Equal("no value was reported", result.Detail);
    }

    [Fact]
    public void Contains_ignores_case()
    {
        var result = Check(new Expectation(Contains: "Healthy"), output: "status: HEALTHY (3 nodes)");

        Assert.Equal(ExpectationState.Met, result.State);
        Assert.Equal("output contains \"Healthy\"", result.Detail);
    }

    [Fact]
    public void Contains_is_unmet_when_the_text_is_missing_or_there_is_no_output()
    {
        Assert.Equal("expected the output to contain \"healthy\"", Check(new Expectation(Contains: "healthy"), output: "degraded").Detail);
        Assert.Equal(ExpectationState.Unmet, Check(new Expectation(Contains: "healthy"), output: null).State);
    }

    [Fact]
    public void Every_condition_must_hold_and_every_one_held_is_listed()
    {
        var result = Check(new Expectation(Status: "2xx", Contains: "ok"), new ToolMeasures(Status: 200), "all ok");

        Assert.Equal(ExpectationState.Met, result.State);
        Assert.Equal("HTTP 200; output contains \"ok\"", result.Detail);
    }

    [Fact]
    public void One_failed_condition_makes_the_expectation_unmet_and_only_failures_are_listed()
    {
        var result = Check(new Expectation(Status: "2xx", MinCount: 1, Contains: "ok"), new ToolMeasures(Status: 200, Count: 0), "no");

        Assert.Equal(ExpectationState.Unmet, result.State);
        Assert.Equal("expected at least 1, found 0; expected the output to contain \"ok\"", result.Detail);
    }

    [Fact]
    public void A_failure_outweighs_a_condition_that_could_not_be_checked()
    {
        var result = Check(new Expectation(Status: "2xx", MinCount: 1), new ToolMeasures(Status: 500));

        Assert.Equal(ExpectationState.Unmet, result.State);
        Assert.Equal("expected HTTP 2xx, got 500", result.Detail);
    }

    [Fact]
    public void A_condition_that_could_not_be_checked_outweighs_the_ones_that_held()
    {
        var result = Check(new Expectation(Status: "2xx", MinCount: 1), new ToolMeasures(Status: 200));

        Assert.Equal(ExpectationState.Unchecked, result.State);
        Assert.Equal("no count was reported", result.Detail);
    }

    [Fact]
    public void Without_any_measures_only_the_output_can_be_checked()
    {
        var result = Check(new Expectation(Status: "2xx", Below: 3, Contains: "ok"), null, "ok");

        Assert.Equal(ExpectationState.Unchecked, result.State);
        Assert.Equal("no HTTP status was reported; no value was reported", result.Detail);
    }

    [Fact]
    public void A_well_formed_expectation_has_no_problems()
    {
        Assert.Empty(ExpectationCheck.Problems(new Expectation(Status: "2xx", MinCount: 0, MaxCount: 10, Above: 1, Below: 2, Contains: "ok")));
        Assert.Empty(ExpectationCheck.Problems(new Expectation(Status: "204")));
    }

    [Theory]
    [InlineData("200 OK")]
    [InlineData("2x")]
    [InlineData("6xx")]
    [InlineData("20x")]
    [InlineData("ok")]
    [InlineData("404")]
    [InlineData("5xx")]
    public void A_status_that_is_not_2xx_or_a_2xx_code_is_a_problem_because_any_other_status_fails_the_step(string status)
    {
        Assert.Equal([$"expect.status '{status}' must be 2xx or a 2xx code such as 204 (any other status fails the step before it is observed)"],
            ExpectationCheck.Problems(new Expectation(Status: status)));
    }

    [Fact]
    public void Malformed_bounds_are_problems()
    {
        Assert.Equal(["expect.minCount and expect.maxCount cannot be negative"], ExpectationCheck.Problems(new Expectation(MinCount: -1)));
        Assert.Equal(["expect.minCount and expect.maxCount cannot be negative"], ExpectationCheck.Problems(new Expectation(MaxCount: -1)));
        Assert.Equal(["expect.minCount is larger than expect.maxCount"], ExpectationCheck.Problems(new Expectation(MinCount: 3, MaxCount: 2)));
        Assert.Equal(["expect.above must be lower than expect.below"], ExpectationCheck.Problems(new Expectation(Above: 2, Below: 2)));
    }

    [Fact]
    public void Contains_longer_than_500_characters_is_a_problem()
    {
        Assert.Empty(ExpectationCheck.Problems(new Expectation(Contains: new string('a', 500))));
        Assert.Equal(["expect.contains is longer than 500 characters"], ExpectationCheck.Problems(new Expectation(Contains: new string('a', 501))));
    }

    [Fact]
    public void An_expectation_naming_nothing_to_check_is_a_problem()
    {
        var problem = Assert.Single(ExpectationCheck.Problems(new Expectation(ContinueIfUnmet: true)));

        Assert.StartsWith("expect names nothing to check", problem, StringComparison.Ordinal);
        Assert.Single(ExpectationCheck.Problems(new Expectation(Contains: "")));
    }

    [Theory]
    [InlineData("2xx", null, null, null, null, null, "expects HTTP 2xx")]
    [InlineData(null, 1L, null, null, null, null, "expects at least 1 found")]
    [InlineData(null, null, 0L, null, null, null, "expects none found")]
    [InlineData(null, null, 4L, null, null, null, "expects at most 4 found")]
    [InlineData(null, 2L, 2L, null, null, null, "expects exactly 2 found")]
    [InlineData(null, 1L, 3L, null, null, null, "expects 1–3 found")]
    [InlineData(null, null, null, 0.5, 2.5, null, "expects value above 0.5, value below 2.5")]
    [InlineData("204", 1L, null, null, null, "done", "expects HTTP 204, at least 1 found, output contains \"done\"")]
    public void Describe_says_the_expectation_in_words(string? status, long? min, long? max, double? above, double? below, string? contains, string expected)
    {
        Assert.Equal(expected, ExpectationCheck.Describe(new Expectation(status, min, max, above, below, contains)));
    }
}
