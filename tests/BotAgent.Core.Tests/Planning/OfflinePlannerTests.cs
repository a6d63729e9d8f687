using System.Text.Json;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Tests.Planning;

public sealed class OfflinePlannerTests
{
    private static readonly Member Requester = new("u-rita", "Rita");

    private static Task<PlanningOutcome> PlanAsync(string goal, PlannerOptions? options = null) =>
        new OfflinePlanner(Options.Create(options ?? TestPlaybooks.Options()))
            .PlanAsync(new PlanningRequest("run-1", goal, Requester, TestTools.All), CancellationToken.None);

    private static string Arg(PlanStep step, string name) => step.Args.GetProperty(name).GetString()!;

    [Fact]
    public async Task Check_goal_matches_the_check_url_playbook_and_fills_the_url()
    {
        var outcome = await PlanAsync("check https://example.com/health");

        var plan = Assert.IsType<Plan>(outcome.Plan);
        Assert.Equal(OfflinePlanner.Name, outcome.Planner);
        Assert.Equal("check https://example.com/health", plan.Goal);
        Assert.Equal("https://example.com/health answers with a 2xx status.", plan.SuccessCriteria);
        var step = Assert.Single(plan.Steps);
        Assert.Equal("s1", step.Id);
        Assert.Equal("GET https://example.com/health", step.Title);
        Assert.Equal("http.get", step.Tool);
        Assert.Equal("https://example.com/health", Arg(step, "url"));
        Assert.Equal(RiskLevel.ReadOnly, step.Risk);
        Assert.Equal(RiskLevel.ReadOnly, plan.RiskLevel);
    }

    [Theory]
    [InlineData("Please check https://example.com/health.")]
    [InlineData("CHECK https://example.com/health!")]
    [InlineData("  check https://example.com/health  ")]
    public async Task Check_playbook_ignores_case_politeness_and_trailing_punctuation(string goal)
    {
        var outcome = await PlanAsync(goal);

        var step = Assert.Single(Assert.IsType<Plan>(outcome.Plan).Steps);
        Assert.Equal("https://example.com/health", Arg(step, "url"));
    }

    [Fact]
    public async Task Search_logs_goal_matches_the_search_logs_playbook_and_fills_the_pattern()
    {
        var outcome = await PlanAsync("search the logs for connection reset by peer");

        var plan = Assert.IsType<Plan>(outcome.Plan);
        var step = Assert.Single(plan.Steps);
        Assert.Equal("logs.search", step.Tool);
        Assert.Equal("connection reset by peer", Arg(step, "pattern"));
        Assert.Equal("Search logs for \"connection reset by peer\"", step.Title);
        Assert.Equal("Matching log lines for \"connection reset by peer\" are found and shown.", plan.SuccessCriteria);
    }

    [Fact]
    public async Task Playbook_must_match_the_whole_goal()
    {
        var outcome = await PlanAsync("check https://example.com/health and then restart the database");

        Assert.Null(outcome.Plan);
    }

    [Fact]
    public async Task Goal_that_cannot_be_planned_is_not_planned_with_suggestions()
    {
        var outcome = await PlanAsync("make the website faster");

        Assert.Null(outcome.Plan);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
        Assert.Equal(OfflinePlanner.Name, outcome.Planner);
        Assert.Contains(outcome.Suggestions, s => s.Contains("`check <url>`", StringComparison.Ordinal));
        Assert.Contains(outcome.Suggestions, s => s.Contains("`search logs for <text>`", StringComparison.Ordinal));
        Assert.Contains(outcome.Suggestions, s => s.Contains("1. http.get", StringComparison.Ordinal));
        var tools = Assert.Single(outcome.Suggestions, s => s.StartsWith("Tools:", StringComparison.Ordinal));
        foreach (var tool in TestTools.All)
            Assert.Contains($"`{tool.Name}`", tools, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_playbooks_every_free_text_goal_is_not_planned()
    {
        var outcome = await PlanAsync("check https://example.com/health", new PlannerOptions());

        Assert.Null(outcome.Plan);
        Assert.DoesNotContain(outcome.Suggestions, s => s.Contains("check <url>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Typed_numbered_steps_become_steps_s1_to_sN_in_order()
    {
        var outcome = await PlanAsync("""
            1. http.get https://example.com/health
            2. logs.search pattern=timeout
            3. http.get https://example.com/status
            """);

        var plan = Assert.IsType<Plan>(outcome.Plan);
        Assert.Equal(["s1", "s2", "s3"], plan.Steps.Select(s => s.Id));
        Assert.Equal(["http.get", "logs.search", "http.get"], plan.Steps.Select(s => s.Tool));
        Assert.Equal("https://example.com/health", Arg(plan.Steps[0], "url"));
        Assert.Equal("timeout", Arg(plan.Steps[1], "pattern"));
        Assert.Equal("https://example.com/status", Arg(plan.Steps[2], "url"));
        Assert.Equal("http.get https://example.com/health", plan.Steps[0].Title);
        Assert.Equal("Run 3 typed steps", plan.Goal);
    }

    [Fact]
    public async Task Free_text_around_typed_steps_becomes_the_goal()
    {
        var outcome = await PlanAsync("Investigate the latency spike\n1. http.get https://example.com/health");

        var plan = Assert.IsType<Plan>(outcome.Plan);
        Assert.Equal("Investigate the latency spike", plan.Goal);
        Assert.Single(plan.Steps);
    }

    [Fact]
    public async Task Typed_steps_win_over_a_playbook_match_in_the_same_goal()
    {
        var outcome = await PlanAsync("check https://example.com/health\n1. logs.search timeout");

        var plan = Assert.IsType<Plan>(outcome.Plan);
        var step = Assert.Single(plan.Steps);
        Assert.Equal("logs.search", step.Tool);
        Assert.Equal("check https://example.com/health", plan.Goal);
    }

    [Fact]
    public async Task Typed_step_accepts_key_value_JSON_and_quoted_arguments()
    {
        var outcome = await PlanAsync("""
            1. logs.search pattern=timeout since=1h
            2. http.get {"url": "https://example.com/b", "headers": {"Accept": "text/plain"}}
            3. logs.search pattern="connection reset" since=1h
            """);

        var steps = Assert.IsType<Plan>(outcome.Plan).Steps;
        Assert.Equal("timeout", Arg(steps[0], "pattern"));
        Assert.Equal("1h", Arg(steps[0], "since"));
        Assert.Equal("https://example.com/b", Arg(steps[1], "url"));
        Assert.Equal("text/plain", steps[1].Args.GetProperty("headers").GetProperty("Accept").GetString());
        Assert.Equal("connection reset", Arg(steps[2], "pattern"));
        Assert.Equal("1h", Arg(steps[2], "since"));
    }

    [Fact]
    public async Task Step_risk_comes_from_the_tool_descriptor_and_the_plan_takes_the_highest()
    {
        var outcome = await PlanAsync("""
            1. http.get https://example.com/health
            2. files.write path=/tmp/a content=b
            """);

        var plan = Assert.IsType<Plan>(outcome.Plan);
        Assert.Equal(RiskLevel.ReadOnly, plan.Steps[0].Risk);
        Assert.Equal(RiskLevel.Write, plan.Steps[1].Risk);
        Assert.Equal(RiskLevel.Write, plan.RiskLevel);
    }

    [Fact]
    public async Task High_risk_tool_makes_a_high_risk_plan()
    {
        var outcome = await PlanAsync("1. payments.refund {\"orderId\": \"o-1\", \"amount\": 10}");

        var plan = Assert.IsType<Plan>(outcome.Plan);
        Assert.Equal(RiskLevel.High, Assert.Single(plan.Steps).Risk);
        Assert.Equal(RiskLevel.High, plan.RiskLevel);
        Assert.Equal(JsonValueKind.Number, plan.Steps[0].Args.GetProperty("amount").ValueKind);
    }

    [Fact]
    public async Task Playbook_steps_take_their_risk_from_the_tool_descriptor()
    {
        var options = TestPlaybooks.Options();
        options.Playbooks.Insert(0, new PlaybookOptions
        {
            Name = "refund",
            Usage = "refund <order>",
            Pattern = @"^refund\s+(?<order>\S+)$",
            SuccessCriteria = "Order {order} refunded.",
            Steps =
            [
                new PlaybookStepOptions { Title = "Look up {order}", Tool = "http.get", Args = new() { ["url"] = "https://shop.example/orders/{order}" } },
                new PlaybookStepOptions { Title = "Refund {order}", Tool = "payments.refund", Args = new() { ["orderId"] = "{order}" } },
            ],
        });

        var outcome = await PlanAsync("refund o-42", options);

        var plan = Assert.IsType<Plan>(outcome.Plan);
        Assert.Equal(["s1", "s2"], plan.Steps.Select(s => s.Id));
        Assert.Equal([RiskLevel.ReadOnly, RiskLevel.High], plan.Steps.Select(s => s.Risk));
        Assert.Equal(RiskLevel.High, plan.RiskLevel);
        Assert.Equal("https://shop.example/orders/o-42", Arg(plan.Steps[0], "url"));
        Assert.Equal("Refund o-42", plan.Steps[1].Title);
    }
}
