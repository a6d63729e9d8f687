using System.Text.Json;
using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Tests.Policy;

public sealed class PlanPolicyTests
{
    private static readonly Member Requester = new("u-rita", "Rita");

    private static PlanPolicy Policy(IEnumerable<ITool>? tools = null, int maxSteps = 10, ApprovalOptions? approvals = null, Dictionary<string, RoleOptions>? roles = null)
    {
        var catalogue = new ToolCatalogue(tools ?? TestTools.All.Select(d => new FakeTool(d)));
        var permissions = new Permissions(Options.Create(roles ?? []));
        var policy = Options.Create(new PolicyOptions { MaxSteps = maxSteps });
        return new(
            catalogue,
            new PlanValidator(catalogue, new ArgumentSchemaValidator(), policy),
            new ApprovalRules(Options.Create(approvals ?? new ApprovalOptions()), permissions),
            permissions,
            new EnvelopePolicy(catalogue, permissions, policy, Options.Create(new PlannerOptions())));
    }

    private static PlanStep Step(string id, string tool, string args, RiskLevel risk = RiskLevel.ReadOnly, params string[] dependsOn) =>
        new(id, $"Step {id}", tool, JsonDocument.Parse(args).RootElement.Clone(), risk, dependsOn.Length == 0 ? null : dependsOn);

    private static PlanStep Get(string id, params string[] dependsOn) =>
        Step(id, "http.get", """{"url":"https://example.com/health"}""", RiskLevel.ReadOnly, dependsOn);

    private static Plan PlanOf(params PlanStep[] steps) => PlanOf(RiskLevel.ReadOnly, steps);

    private static Plan PlanOf(RiskLevel declared, params PlanStep[] steps) => new("goal", steps, declared, "criteria");

    [Fact]
    public void Plan_of_known_tools_with_valid_arguments_is_allowed()
    {
        var verdict = Policy().Evaluate(PlanOf(Get("s1"), Step("s2", "logs.search", """{"pattern":"timeout"}""", dependsOn: "s1")), Requester);

        Assert.True(verdict.IsAllowed, string.Join("\n", verdict.Violations));
        Assert.Empty(verdict.Violations);
        Assert.Equal(RiskLevel.ReadOnly, verdict.RiskLevel);
        Assert.NotNull(verdict.Approval);
    }

    [Fact]
    public void Unknown_tool_is_refused_with_a_reason_naming_the_step_and_the_tool()
    {
        var verdict = Policy().Evaluate(PlanOf(Get("s1"), Step("s2", "shell.exec", """{"command":"rm -rf /"}""")), Requester);

        Assert.False(verdict.IsAllowed);
        var violation = Assert.Single(verdict.Violations);
        Assert.Contains("Step 2 (s2)", violation, StringComparison.Ordinal);
        Assert.Contains("'shell.exec'", violation, StringComparison.Ordinal);
        Assert.Null(verdict.Approval);
    }

    [Fact]
    public void Tool_names_are_matched_without_regard_to_case()
    {
        var verdict = Policy().Evaluate(PlanOf(Step("s1", "HTTP.GET", """{"url":"https://example.com"}""")), Requester);

        Assert.True(verdict.IsAllowed, string.Join("\n", verdict.Violations));
    }

    [Theory]
    [InlineData("""{}""", "url")]
    [InlineData("""{"url": 42}""", "/url")]
    [InlineData("""{"url": ""}""", "/url")]
    [InlineData("""{"url": "https://example.com", "method": "DELETE"}""", "method")]
    public void Arguments_that_fail_the_tools_JSON_schema_are_refused(string args, string mentioned)
    {
        var verdict = Policy().Evaluate(PlanOf(Step("s1", "http.get", args)), Requester);

        Assert.False(verdict.IsAllowed);
        Assert.All(verdict.Violations, v => Assert.StartsWith("Step 1 (s1): http.get arguments: ", v, StringComparison.Ordinal));
        Assert.Contains(verdict.Violations, v => v.Contains(mentioned, StringComparison.Ordinal));
    }

    [Fact]
    public void Arguments_that_are_not_an_object_are_refused_without_asking_the_tool()
    {
        var tool = new FakeTool(TestTools.HttpGet);

        var verdict = Policy([tool]).Evaluate(PlanOf(Step("s1", "http.get", """["https://example.com"]""")), Requester);

        Assert.Contains("Step 1 (s1): http.get arguments: arguments must be a JSON object", verdict.Violations);
        Assert.Empty(tool.Checked);
    }

    [Fact]
    public void Tools_own_refusal_of_the_arguments_is_surfaced_naming_the_step()
    {
        var tool = new FakeTool(TestTools.HttpGet, "host 'internal.example' is not on the allow-list");

        var verdict = Policy([tool]).Evaluate(PlanOf(Get("s1")), Requester);

        Assert.False(verdict.IsAllowed);
        Assert.Equal(["Step 1 (s1): host 'internal.example' is not on the allow-list"], verdict.Violations);
        Assert.Equal("""{"url":"https://example.com/health"}""", Assert.Single(tool.Checked));
    }

    [Fact]
    public void Plan_with_more_steps_than_MaxSteps_is_refused()
    {
        var verdict = Policy(maxSteps: 3).Evaluate(PlanOf(Get("s1"), Get("s2"), Get("s3"), Get("s4")), Requester);

        Assert.False(verdict.IsAllowed);
        Assert.Contains("The plan has 4 steps; at most 3 are allowed.", verdict.Violations);
    }

    [Fact]
    public void Plan_with_exactly_MaxSteps_steps_is_allowed()
    {
        var verdict = Policy(maxSteps: 3).Evaluate(PlanOf(Get("s1"), Get("s2"), Get("s3")), Requester);

        Assert.True(verdict.IsAllowed, string.Join("\n", verdict.Violations));
    }

    [Fact]
    public void Plan_without_steps_is_refused()
    {
        var verdict = Policy().Evaluate(PlanOf(), Requester);

        Assert.False(verdict.IsAllowed);
        Assert.Contains("The plan has no steps.", verdict.Violations);
    }

    [Fact]
    public void Duplicate_step_id_is_refused()
    {
        var verdict = Policy().Evaluate(PlanOf(Get("s1"), Get("s1")), Requester);

        var violation = Assert.Single(verdict.Violations);
        Assert.Contains("Step 2 (s1)", violation, StringComparison.Ordinal);
        Assert.Contains("used twice", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependency_on_a_later_step_is_refused()
    {
        var verdict = Policy().Evaluate(PlanOf(Get("s1", "s2"), Get("s2")), Requester);

        var violation = Assert.Single(verdict.Violations);
        Assert.Contains("Step 1 (s1)", violation, StringComparison.Ordinal);
        Assert.Contains("'s2'", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependency_on_an_unknown_step_is_refused()
    {
        var verdict = Policy().Evaluate(PlanOf(Get("s1"), Get("s2", "s9")), Requester);

        var violation = Assert.Single(verdict.Violations);
        Assert.Contains("Step 2 (s2)", violation, StringComparison.Ordinal);
        Assert.Contains("'s9'", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependency_on_itself_is_refused()
    {
        var verdict = Policy().Evaluate(PlanOf(Get("s1", "s1")), Requester);

        Assert.Contains(verdict.Violations, v => v.Contains("Step 1 (s1)", StringComparison.Ordinal) && v.Contains("'s1'", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var verdict = Policy(maxSteps: 2).Evaluate(
            PlanOf(Step("s1", "shell.exec", "{}"), Step("s2", "http.get", "{}"), Get("s3", "s7")),
            Requester);

        Assert.Contains(verdict.Violations, v => v.StartsWith("The plan has 3 steps", StringComparison.Ordinal));
        Assert.Contains(verdict.Violations, v => v.StartsWith("Step 1 (s1): there is no tool", StringComparison.Ordinal));
        Assert.Contains(verdict.Violations, v => v.StartsWith("Step 2 (s2): http.get arguments:", StringComparison.Ordinal));
        Assert.Contains(verdict.Violations, v => v.StartsWith("Step 3 (s3): depends on 's7'", StringComparison.Ordinal));
    }

    [Fact]
    public void Step_risk_is_raised_to_the_risk_its_tool_declares()
    {
        var verdict = Policy().Evaluate(
            PlanOf(Get("s1"), Step("s2", "files.write", """{"path":"/tmp/a","content":"b"}""", RiskLevel.ReadOnly)),
            Requester);

        Assert.True(verdict.IsAllowed, string.Join("\n", verdict.Violations));
        Assert.Equal(RiskLevel.ReadOnly, verdict.StepRisks["s1"]);
        Assert.Equal(RiskLevel.Write, verdict.StepRisks["s2"]);
        Assert.Equal(RiskLevel.Write, verdict.RiskLevel);
        Assert.Equal(RiskLevel.Write, verdict.Approval!.Risk);
        Assert.False(verdict.Approval.RequesterMayApprove);
    }

    [Fact]
    public void High_risk_tool_in_a_plan_declared_read_only_makes_the_plan_high_risk()
    {
        var verdict = Policy().Evaluate(
            PlanOf(RiskLevel.ReadOnly, Step("s1", "payments.refund", """{"orderId":"o-1","amount":5}""", RiskLevel.ReadOnly)),
            Requester);

        Assert.Equal(RiskLevel.High, verdict.StepRisks["s1"]);
        Assert.Equal(RiskLevel.High, verdict.RiskLevel);
    }

    [Fact]
    public void Step_declaring_more_risk_than_its_tool_keeps_the_higher_risk()
    {
        var verdict = Policy().Evaluate(PlanOf(Step("s1", "http.get", """{"url":"https://example.com"}""", RiskLevel.High)), Requester);

        Assert.Equal(RiskLevel.High, verdict.StepRisks["s1"]);
        Assert.Equal(RiskLevel.High, verdict.RiskLevel);
    }

    [Fact]
    public void Plan_declaring_more_risk_than_its_steps_keeps_the_declared_risk()
    {
        var verdict = Policy().Evaluate(PlanOf(RiskLevel.Write, Get("s1")), Requester);

        Assert.Equal(RiskLevel.Write, verdict.RiskLevel);
        Assert.Equal(RiskLevel.Write, verdict.Approval!.Risk);
    }

    [Fact]
    public void Read_only_plan_may_be_approved_by_anyone_including_the_requester()
    {
        var approval = Policy().Evaluate(PlanOf(Get("s1")), Requester).Approval!;

        Assert.Equal(RiskLevel.ReadOnly, approval.Risk);
        Assert.Equal(1, approval.Quorum);
        Assert.True(approval.RequesterMayApprove);
        Assert.True(approval.AnyMember);
    }

    [Fact]
    public void Write_plan_needs_the_configured_write_quorum_from_someone_else()
    {
        var policy = Policy(approvals: new ApprovalOptions { WriteQuorum = 2 });

        var approval = policy.Evaluate(PlanOf(Step("s1", "files.write", """{"path":"/tmp/a","content":"b"}""", RiskLevel.Write)), Requester).Approval!;

        Assert.Equal(RiskLevel.Write, approval.Risk);
        Assert.Equal(2, approval.Quorum);
        Assert.False(approval.RequesterMayApprove);
        Assert.True(approval.AnyMember);
    }

    [Fact]
    public void High_risk_plan_needs_the_configured_approvers_and_quorum()
    {
        var policy = Policy(approvals: new ApprovalOptions { HighRiskApprovers = ["u-ann", "aad-bob"], HighRiskQuorum = 2 });

        var approval = policy.Evaluate(PlanOf(Step("s1", "payments.refund", """{"orderId":"o-1","amount":5}""", RiskLevel.High)), Requester).Approval!;

        Assert.Equal(RiskLevel.High, approval.Risk);
        Assert.Equal(2, approval.Quorum);
        Assert.False(approval.RequesterMayApprove);
        Assert.Equal(["u-ann", "aad-bob"], approval.Approvers);
    }

    [Fact]
    public void Refused_plan_gets_no_approval_requirement()
    {
        var verdict = Policy().Evaluate(PlanOf(Step("s1", "http.get", "{}")), Requester);

        Assert.Null(verdict.Approval);
    }
}
