using System.Text.Json;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Tests.Policy;

public sealed class ApprovedScopeTests
{
    private const string Status = "https://status.example";
    private static readonly DateTimeOffset Now = new(2025, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static PlanStep Get(string id, string path) =>
        new(id, $"Get {path}", "http.get", Args($$"""{"url":"{{Status}}{{path}}"}"""), RiskLevel.ReadOnly, Targets: [Status]);

    private static PlanStep Restart(string id) =>
        new(id, "Restart payments", "svc.restart", Args("""{"service":"payments"}"""), RiskLevel.Write, Targets: ["mcp:ops"]);

    private static PlanVersion Version1(int maxExtraSteps = 1) => new(1, "hash-v1", new Plan(
        "Restart payments if it is unhealthy",
        [Get("s1", "/health"), Restart("w1")],
        RiskLevel.Write,
        "The service answers again",
        new Envelope(["http.get"], [Status, "mcp:ops"], RiskLevel.ReadOnly, maxExtraSteps)), "offline", Now);

    private static StepAttempt Attempt(int version, PlanStep step, StepState state = StepState.Succeeded) =>
        new(1, "run-1", version, step.Id, 0, 1, step.Tool, step.Args.GetRawText(), $"{step.Id}-key", state, Now);

    private static ApprovedScope Scope(PlanVersion approved, params StepAttempt[] ledger) => new(approved, ["Alice", "Bob"], ledger);

    [Fact]
    public void A_retry_of_an_approved_write_is_not_counted_as_running_it_again()
    {
        var approved = Version1();
        var w1 = approved.Plan.Steps[1];

        var problems = Scope(approved, Attempt(1, approved.Plan.Steps[0]), Attempt(1, w1, StepState.Failed)).CheckStep(1, w1);

        Assert.Empty(problems);
    }

    [Fact]
    public void Two_identical_writes_people_approved_in_one_version_both_run()
    {
        var plan = Version1().Plan;
        var approved = new PlanVersion(1, "hash-twice", plan with { Steps = [Restart("w1"), Restart("w2")] }, "offline", Now);
        var scope = Scope(approved, Attempt(1, approved.Plan.Steps[0]));

        Assert.Empty(scope.CheckStep(1, approved.Plan.Steps[1]));
    }

    [Fact]
    public void A_later_versions_step_repeating_a_write_another_step_ran_is_outside()
    {
        var approved = Version1();
        var scope = Scope(approved, Attempt(1, approved.Plan.Steps[1]));

        var problems = scope.CheckStep(2, Restart("w1-again"));

        Assert.Contains("w1-again (svc.restart) repeats a write step that already ran; repeating it is a new write", problems);
    }

    [Fact]
    public void The_same_step_id_in_a_later_version_is_another_step_so_its_write_is_a_repeat()
    {
        var approved = Version1();
        var scope = Scope(approved, Attempt(1, approved.Plan.Steps[1]));

        Assert.NotEmpty(scope.CheckStep(2, Restart("w1")));
    }

    [Fact]
    public void A_later_versions_step_beyond_the_extra_steps_is_outside_counting_other_steps_extras()
    {
        var approved = Version1(maxExtraSteps: 1);
        var scope = Scope(approved, Attempt(1, approved.Plan.Steps[0]), Attempt(2, Get("x1", "/metrics")));

        var problems = scope.CheckStep(3, Get("x2", "/ready"));

        Assert.Equal(["x2 would be step 2 beyond the approved plan; the approved envelope allows 1"], problems);
    }

    [Fact]
    public void A_retry_of_an_extra_step_does_not_count_twice()
    {
        var approved = Version1(maxExtraSteps: 1);
        var x1 = Get("x1", "/metrics");
        var scope = Scope(approved, Attempt(2, x1, StepState.Failed));

        Assert.Empty(scope.CheckStep(2, x1));
    }

    [Fact]
    public void A_later_version_repeating_an_approved_read_only_call_needs_no_extra_step()
    {
        var approved = Version1(maxExtraSteps: 0);
        var scope = Scope(approved, Attempt(1, approved.Plan.Steps[0]));

        Assert.Empty(scope.CheckStep(2, Get("s1", "/health")));
    }

    [Fact]
    public void Steps_of_the_approved_version_are_not_counted_as_extra_steps()
    {
        var approved = Version1(maxExtraSteps: 0);

        Assert.Empty(Scope(approved).CheckStep(1, approved.Plan.Steps[0]));
        Assert.Empty(Scope(approved).CheckStep(1, approved.Plan.Steps[1]));
    }

    [Fact]
    public void Attempting_a_step_counts_it_against_the_steps_after_it()
    {
        var approved = Version1(maxExtraSteps: 1);
        var scope = Scope(approved);
        Assert.Empty(scope.CheckStep(2, Get("x2", "/ready")));

        scope.Attempting(2, Get("x1", "/metrics"));

        Assert.Equal(["x2 would be step 2 beyond the approved plan; the approved envelope allows 1"], scope.CheckStep(2, Get("x2", "/ready")));
    }

    [Fact]
    public void CheckRevision_counts_every_attempt_in_the_ledger()
    {
        var approved = Version1();
        var scope = Scope(approved, Attempt(1, approved.Plan.Steps[0]), Attempt(1, approved.Plan.Steps[1], StepState.Failed));
        var revision = approved.Plan with { Steps = [Restart("w1")], Envelope = null };

        var problems = scope.CheckRevision(revision);

        Assert.Contains("w1 (svc.restart) repeats a write step that already ran; repeating it is a new write", problems);
    }

    [Fact]
    public void A_revisions_own_wider_envelope_does_not_widen_what_was_approved()
    {
        var approved = Version1();
        var widening = new Plan("g", [Get("x1", "/a") with { Targets = ["https://attacker.example"] }], RiskLevel.ReadOnly, "c",
            new Envelope(["http.get"], ["https://attacker.example"], RiskLevel.High, 50));

        Assert.Equal(
            ["x1 (http.get) reaches https://attacker.example, which the approved envelope does not include"],
            Scope(approved).CheckRevision(widening));
    }

    [Fact]
    public void Approver_names_are_listed_or_described_when_none_were_recorded()
    {
        Assert.Equal("Alice, Bob", Scope(Version1()).ApproverNames);
        Assert.Equal("the approvers", new ApprovedScope(Version1(), [], []).ApproverNames);
    }

    // The MCP case: a server's tool annotations can change after people approved a plan that uses it.

    private static readonly Member Requester = new("u-rita", "Rita");

    private static PlanVersion ApproveThroughPolicy(ServerTool tool)
    {
        var catalogue = new ToolCatalogue([tool, new UrlTool("http.get")]);
        var permissions = new Permissions(Options.Create(new Dictionary<string, RoleOptions>()));
        var options = Options.Create(new PolicyOptions());
        var policy = new PlanPolicy(
            catalogue,
            new PlanValidator(catalogue, new ArgumentSchemaValidator(), options),
            new ApprovalRules(Options.Create(new ApprovalOptions()), permissions),
            permissions,
            new EnvelopePolicy(catalogue, permissions, options, Options.Create(new PlannerOptions())));
        var proposed = new Plan("List open incidents", [new PlanStep("m1", "Search issues", tool.Descriptor.Name, Args("""{"query":"is:open label:incident"}"""), RiskLevel.ReadOnly)],
            RiskLevel.ReadOnly, "The open incidents are listed");
        var verdict = policy.Evaluate(proposed, Requester);
        Assert.True(verdict.IsAllowed, string.Join("\n", verdict.Violations));
        var plan = verdict.Apply(proposed);
        return new PlanVersion(1, PlanDocument.Hash(plan), plan, "offline", Now);
    }

    [Fact]
    public void A_step_whose_tool_did_not_change_since_approval_fits()
    {
        var tool = new ServerTool("mcp.github.search_issues", RiskLevel.ReadOnly, "mcp:github");
        var approved = ApproveThroughPolicy(tool);

        var problems = Scope(approved).CheckStep(1, EffectiveStep.Of(approved.Plan.Steps[0], tool));

        Assert.Empty(problems);
    }

    [Fact]
    public void A_step_whose_tool_now_assesses_as_high_risk_is_outside_what_was_approved()
    {
        var tool = new ServerTool("mcp.github.search_issues", RiskLevel.ReadOnly, "mcp:github");
        var approved = ApproveThroughPolicy(tool);

        tool.Risk = RiskLevel.High;
        var now = EffectiveStep.Of(approved.Plan.Steps[0], tool);
        var problems = Scope(approved).CheckStep(1, now);

        Assert.Equal(RiskLevel.High, now.Risk);
        var problem = Assert.Single(problems);
        Assert.StartsWith("m1 (mcp.github.search_issues) ", problem, StringComparison.Ordinal);
        Assert.Contains("high", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_whose_tool_became_riskier_is_not_said_to_have_already_run()
    {
        var tool = new ServerTool("mcp.github.search_issues", RiskLevel.ReadOnly, "mcp:github");
        var approved = ApproveThroughPolicy(tool);

        tool.Risk = RiskLevel.High;
        var problems = Scope(approved).CheckStep(1, EffectiveStep.Of(approved.Plan.Steps[0], tool));

        Assert.Equal(["m1 (mcp.github.search_issues) is high; the approved envelope allows at most read_only steps"], problems);
    }

    [Fact]
    public void A_step_whose_tool_now_reaches_another_target_is_outside_naming_it()
    {
        var tool = new ServerTool("mcp.github.search_issues", RiskLevel.ReadOnly, "mcp:github");
        var approved = ApproveThroughPolicy(tool);

        tool.Reaches = ["mcp:github-enterprise"];
        var problems = Scope(approved).CheckStep(1, EffectiveStep.Of(approved.Plan.Steps[0], tool));

        Assert.Equal(["m1 (mcp.github.search_issues) reaches mcp:github-enterprise, which the approved envelope does not include"], problems);
    }

    [Fact]
    public void The_effective_step_takes_the_tools_current_risk_and_targets_but_never_lowers_the_stored_risk()
    {
        var tool = new ServerTool("mcp.github.search_issues", RiskLevel.ReadOnly, "mcp:gitlab");
        var stored = new PlanStep("m1", "Search", tool.Descriptor.Name, Args("{}"), RiskLevel.Write, Targets: ["mcp:github"]);

        var now = EffectiveStep.Of(stored, tool);

        Assert.Equal(RiskLevel.Write, now.Risk);
        Assert.Equal(["mcp:gitlab"], now.Targets);
    }

    [Fact]
    public void The_effective_step_of_arguments_that_are_not_an_object_keeps_its_targets_but_takes_the_tools_declared_risk()
    {
        var tool = new ServerTool("mcp.github.search_issues", RiskLevel.High, "mcp:gitlab");
        var stored = new PlanStep("m1", "Search", tool.Descriptor.Name, Args("[]"), RiskLevel.ReadOnly, Targets: ["mcp:github"]);

        var effective = EffectiveStep.Of(stored, tool);

        Assert.Equal(RiskLevel.High, effective.Risk);
        Assert.Equal(["mcp:github"], effective.Targets);
        var same = stored with { Risk = RiskLevel.High };
        Assert.Same(same, EffectiveStep.Of(same, tool));
    }
}
