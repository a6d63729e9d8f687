using BotAgent.Core.Planning;

namespace BotAgent.Core.Tests.Planning;

public sealed class ModelObservationReaderTests
{
    private const string RevisedPlan = """
        {"goal":"Check checkout","successCriteria":"It answers","riskLevel":"read_only",
         "steps":[{"id":"s3","title":"Check the database","tool":"sql.query","args":{"sql":"select 1"},"risk":"read_only"}]}
        """;

    private static ObservationAnswer Read(string text)
    {
        var answer = ModelObservationReader.Read(text, out var problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return Assert.IsType<ObservationAnswer>(answer);
    }

    private static IReadOnlyList<string> Problems(string text)
    {
        var answer = ModelObservationReader.Read(text, out var problems);
        Assert.Null(answer);
        return problems;
    }

    [Fact]
    public void Continue_is_read_with_its_reason()
    {
        var answer = Read("""{"decision":"continue","reason":"  health is fine  "}""");

        Assert.Equal(ObserveDecision.Continue, answer.Decision);
        Assert.Equal("health is fine", answer.Reason);
        Assert.Null(answer.Plan);
    }

    [Fact]
    public void Done_is_read_and_a_plan_beside_it_is_ignored()
    {
        var answer = Read($$"""{"decision":"Done","reason":"the cause is found","plan":{{RevisedPlan}}}""");

        Assert.Equal(ObserveDecision.Done, answer.Decision);
        Assert.Equal("the cause is found", answer.Reason);
        Assert.Null(answer.Plan);
    }

    [Fact]
    public void A_missing_reason_is_empty()
    {
        Assert.Equal("", Read("""{"decision":"continue"}""").Reason);
    }

    [Fact]
    public void Revise_is_read_with_its_plan()
    {
        var answer = Read($$"""{"decision":"revise","reason":"the API is down; look at the database","plan":{{RevisedPlan}}}""");

        Assert.Equal(ObserveDecision.Revise, answer.Decision);
        Assert.Equal("the API is down; look at the database", answer.Reason);
        Assert.Equal("sql.query", Assert.Single(answer.Plan!.Steps).Tool);
    }

    [Fact]
    public void Revise_without_a_plan_is_a_problem()
    {
        Assert.Equal(["A 'revise' decision needs 'plan': the revised plan for the remaining work."], Problems("""{"decision":"revise","reason":"x"}"""));
        Assert.Equal(["A 'revise' decision needs 'plan': the revised plan for the remaining work."], Problems("""{"decision":"revise","plan":"do more"}"""));
    }

    [Fact]
    public void Revise_with_an_invalid_plan_reports_the_plans_problems()
    {
        var problems = Problems("""{"decision":"revise","plan":{"goal":"g","successCriteria":"c","riskLevel":"read_only","steps":{}}}""");

        Assert.Equal(["'steps' must be an array."], problems);
    }

    [Fact]
    public void An_unknown_decision_is_a_problem_naming_it()
    {
        Assert.Equal(["'decision' must be one of continue, revise, done (not 'retry')."], Problems("""{"decision":"retry"}"""));
    }

    [Theory]
    [InlineData("""{"reason":"all good"}""")]
    [InlineData("""{"decision":null}""")]
    public void A_missing_decision_is_a_problem(string text)
    {
        Assert.Equal(["'decision' is required: one of continue, revise, done."], Problems(text));
    }

    [Fact]
    public void A_decision_that_is_not_text_is_a_problem()
    {
        Assert.Equal(["'decision' must be one of continue, revise, done."], Problems("""{"decision":1}"""));
    }

    [Fact]
    public void An_answer_without_JSON_is_a_problem()
    {
        Assert.Equal(["The answer contains no JSON object."], Problems("Continue, everything looks fine."));
    }

    [Fact]
    public void An_answer_wrapped_in_a_code_fence_is_read()
    {
        var answer = Read($$"""
            Looking at the result:
            ```json
            {"decision":"revise","reason":"check the database","plan":{{RevisedPlan}}}
            ```
            """);

        Assert.Equal(ObserveDecision.Revise, answer.Decision);
        Assert.NotNull(answer.Plan);
    }
}
