using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Planning;

public sealed class ModelPlanReaderTests
{
    private const string Step1 = """{"id":"s1","title":"Check health","tool":"http.get","args":{"url":"https://status.example/health"},"risk":"read_only"}""";

    /// <summary>A model's plan answer with <paramref name="extra"/> spliced in as further top-level properties.</summary>
    private static string Answer(string extra = "", string risk = "read_only", string steps = Step1) =>
        $$"""{"goal":"Check checkout","successCriteria":"It answers","riskLevel":"{{risk}}","steps":[{{steps}}]{{(extra.Length == 0 ? "" : "," + extra)}}}""";

    private static Plan Read(string text)
    {
        var plan = ModelPlanReader.Read(text, out var problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return Assert.IsType<Plan>(plan);
    }

    private static IReadOnlyList<string> Problems(string text)
    {
        var plan = ModelPlanReader.Read(text, out var problems);
        Assert.Null(plan);
        return problems;
    }

    [Fact]
    public void A_plan_without_an_envelope_has_none()
    {
        Assert.Null(Read(Answer()).Envelope);
        Assert.Null(Read(Answer("\"envelope\":null")).Envelope);
    }

    [Fact]
    public void A_full_envelope_is_read_as_proposed()
    {
        var envelope = Read(Answer("""
            "envelope":{"tools":["http.get","logs.search"],"targets":["https://status.example","logs:/var/log"],"maxRisk":"write","maxExtraSteps":2}
            """)).Envelope!;

        Assert.Equal(["http.get", "logs.search"], envelope.Tools);
        Assert.Equal(["https://status.example", "logs:/var/log"], envelope.Targets);
        Assert.Equal(RiskLevel.Write, envelope.MaxRisk);
        Assert.Equal(2, envelope.MaxExtraSteps);
    }

    [Fact]
    public void An_envelope_without_max_risk_takes_the_plans_risk_level()
    {
        Assert.Equal(RiskLevel.Write, Read(Answer("\"envelope\":{\"tools\":[\"http.get\"]}", risk: "write")).Envelope!.MaxRisk);
        Assert.Equal(RiskLevel.High, Read(Answer("\"envelope\":{\"maxRisk\":null}", risk: "high")).Envelope!.MaxRisk);
    }

    [Fact]
    public void An_envelope_without_max_extra_steps_leaves_the_number_to_policy()
    {
        Assert.Equal(Envelope.NotProposed, Read(Answer("\"envelope\":{\"tools\":[\"http.get\"]}")).Envelope!.MaxExtraSteps);
        Assert.Equal(Envelope.NotProposed, Read(Answer("\"envelope\":{\"maxExtraSteps\":null}")).Envelope!.MaxExtraSteps);
        Assert.Equal(0, Read(Answer("\"envelope\":{\"maxExtraSteps\":0}")).Envelope!.MaxExtraSteps);
    }

    [Fact]
    public void An_empty_envelope_has_no_tools_or_targets()
    {
        var envelope = Read(Answer("\"envelope\":{}")).Envelope!;

        Assert.Empty(envelope.Tools);
        Assert.Empty(envelope.Targets);
    }

    [Fact]
    public void Blank_tool_and_target_names_are_dropped()
    {
        var envelope = Read(Answer("""
            "envelope":{"tools":["http.get",""," "],"targets":["","https://status.example"]}
            """)).Envelope!;

        Assert.Equal(["http.get"], envelope.Tools);
        Assert.Equal(["https://status.example"], envelope.Targets);
    }

    [Theory]
    [InlineData("\"envelope\":\"wide\"", "'envelope' must be an object.")]
    [InlineData("\"envelope\":[]", "'envelope' must be an object.")]
    [InlineData("\"envelope\":{\"tools\":\"http.get\"}", "the envelope: 'tools' must be an array of strings.")]
    [InlineData("\"envelope\":{\"tools\":[\"http.get\",3]}", "the envelope: 'tools' must be an array of strings.")]
    [InlineData("\"envelope\":{\"targets\":{\"a\":1}}", "the envelope: 'targets' must be an array of strings.")]
    [InlineData("\"envelope\":{\"maxRisk\":\"dangerous\"}", "the envelope: 'maxRisk' must be one of read_only, write, high (not 'dangerous').")]
    [InlineData("\"envelope\":{\"maxRisk\":2}", "the envelope: 'maxRisk' must be one of read_only, write, high.")]
    [InlineData("\"envelope\":{\"maxExtraSteps\":-1}", "the envelope: 'maxExtraSteps' must be a whole number, 0 or more.")]
    [InlineData("\"envelope\":{\"maxExtraSteps\":1.5}", "the envelope: 'maxExtraSteps' must be a whole number, 0 or more.")]
    [InlineData("\"envelope\":{\"maxExtraSteps\":\"3\"}", "the envelope: 'maxExtraSteps' must be a whole number, 0 or more.")]
    [InlineData("\"envelope\":{\"maxExtraSteps\":99999999999}", "the envelope: 'maxExtraSteps' must be a whole number, 0 or more.")]
    public void An_envelope_of_the_wrong_shape_is_a_problem_and_no_plan(string envelope, string problem)
    {
        Assert.Equal([problem], Problems(Answer(envelope)));
    }

    [Fact]
    public void Envelope_problems_are_reported_with_the_steps_problems()
    {
        var problems = Problems(Answer("\"envelope\":{\"maxRisk\":\"x\"}", steps: """{"id":"s1","title":"t","tool":"http.get","args":[],"risk":"read_only"}"""));

        Assert.Contains("step 1: 'args' must be an object.", problems);
        Assert.Contains("the envelope: 'maxRisk' must be one of read_only, write, high (not 'x').", problems);
    }

    [Fact]
    public void A_steps_expectation_is_read()
    {
        var plan = Read(Answer(steps: """
            {"id":"s1","title":"t","tool":"http.get","args":{"url":"https://a.example"},"risk":"read_only",
             "expect":{"status":"2xx","minCount":1,"maxCount":9,"above":0.5,"below":2,"contains":"ok","continueIfUnmet":true}}
            """));

        Assert.Equal(new Expectation("2xx", 1, 9, 0.5, 2, "ok", true), plan.Steps[0].Expect);
    }

    [Fact]
    public void A_null_or_missing_expectation_is_none()
    {
        Assert.Null(Read(Answer()).Steps[0].Expect);
        Assert.Null(Read(Answer(steps: """{"id":"s1","title":"t","tool":"http.get","args":{},"risk":"read_only","expect":null}""")).Steps[0].Expect);
    }

    [Theory]
    [InlineData("\"2xx\"", "step 2: 'expect' must be an object.")]
    [InlineData("{\"status\":\"200 OK\"}", "step 2: expect.status '200 OK' must be 2xx or a 2xx code such as 204 (any other status fails the step before it is observed).")]
    [InlineData("{\"minCount\":5,\"maxCount\":1}", "step 2: expect.minCount is larger than expect.maxCount.")]
    [InlineData("{}", "step 2: expect names nothing to check (status, minCount, maxCount, above, below or contains).")]
    [InlineData("{\"continueIfUnmet\":true}", "step 2: expect names nothing to check (status, minCount, maxCount, above, below or contains).")]
    public void An_invalid_expectation_is_a_problem_naming_its_step(string expect, string problem)
    {
        var steps = Step1 + "," + $$"""{"id":"s2","title":"t","tool":"logs.search","args":{"pattern":"x"},"risk":"read_only","expect":{{expect}}}""";

        Assert.Equal([problem], Problems(Answer(steps: steps)));
    }

    [Theory]
    [InlineData("{\"minCount\":\"many\"}", "step 1: 'expect.minCount' must be a whole number, 0 or more.")]
    [InlineData("{\"status\":200}", "step 1: 'expect.status' must be a string.")]
    [InlineData("{\"above\":[1]}", "step 1: 'expect.above' must be a number.")]
    [InlineData("{\"above\":1e400}", "step 1: 'expect.above' must be a number.")]
    public void An_expectation_with_values_of_the_wrong_type_is_a_problem_naming_its_step(string expect, string problem)
    {
        var steps = $$"""{"id":"s1","title":"t","tool":"logs.search","args":{"pattern":"x"},"risk":"read_only","expect":{{expect}}}""";

        Assert.Equal([problem], Problems(Answer(steps: steps)));
    }

    [Fact]
    public void Targets_a_model_writes_on_a_step_are_not_read()
    {
        var plan = Read(Answer(steps: """{"id":"s1","title":"t","tool":"http.get","args":{},"risk":"read_only","targets":["https://anywhere.example"]}"""));

        Assert.Null(plan.Steps[0].Targets);
    }

    [Fact]
    public void A_plan_with_an_envelope_is_read_out_of_a_code_fence_with_chatter_around_it()
    {
        var plan = Read("Here is the plan:\n```json\n" + Answer("\"envelope\":{\"maxExtraSteps\":1}") + "\n```\nLet me know.");

        Assert.Equal(1, plan.Envelope!.MaxExtraSteps);
        Assert.Equal("s1", Assert.Single(plan.Steps).Id);
    }
}
