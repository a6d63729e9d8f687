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

/// <summary>The envelope people approve with a plan, as <see cref="PlanPolicy"/> sets it and <see cref="PolicyVerdict.Apply"/> stores it.</summary>
public sealed class EnvelopePolicyTests
{
    private const string Status = "https://status.example";
    private static readonly Member Requester = new("u-rita", "Rita", ProvenBy: "msteams");

    private static PlanPolicy Policy(PolicyOptions? policy = null, PlannerOptions? planner = null, Dictionary<string, RoleOptions>? roles = null)
    {
        var catalogue = new ToolCatalogue(
        [
            new UrlTool("http.get"),
            new UrlTool("http.request"),
            new ServerTool("logs.search", RiskLevel.ReadOnly, "logs:/var/log"),
            new ServerTool("sql.query", RiskLevel.ReadOnly, "sql:reports", "sql:billing"),
            new FakeTool(TestTools.FilesWrite),
            new ServerTool("mcp.deploy.run", RiskLevel.High, "mcp:deploy"),
        ]);
        var permissions = new Permissions(Options.Create(roles ?? []));
        var options = Options.Create(policy ?? new PolicyOptions());
        return new(
            catalogue,
            new PlanValidator(catalogue, new ArgumentSchemaValidator(), options),
            new ApprovalRules(Options.Create(new ApprovalOptions()), permissions),
            permissions,
            new EnvelopePolicy(catalogue, permissions, options, Options.Create(planner ?? new PlannerOptions())));
    }

    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static PlanStep Get(string id, string url) => new(id, $"Get {url}", "http.get", Args($$"""{"url":"{{url}}"}"""), RiskLevel.ReadOnly);

    /// <summary>A POST the planner calls read-only; the tool assesses it as a write.</summary>
    private static PlanStep Post(string id, string url) =>
        new(id, $"Post {url}", "http.request", Args($$"""{"url":"{{url}}","method":"POST"}"""), RiskLevel.ReadOnly);

    private static PlanStep Search(string id) => new(id, "Search logs", "logs.search", Args("""{"pattern":"timeout"}"""), RiskLevel.ReadOnly);

    private static PlanStep WriteFile(string id) => new(id, "Write a file", "files.write", Args("""{"path":"/tmp/a","content":"b"}"""), RiskLevel.Write);

    private static Plan PlanOf(params PlanStep[] steps) => new("goal", steps, RiskLevel.ReadOnly, "criteria");

    private static Plan Proposing(Envelope envelope, params PlanStep[] steps) => PlanOf(steps) with { Envelope = envelope };

    private static Envelope Proposed(IReadOnlyList<string>? tools = null, IReadOnlyList<string>? targets = null, RiskLevel risk = RiskLevel.ReadOnly, int extra = Envelope.NotProposed) =>
        new(tools ?? [], targets ?? [], risk, extra);

    private static Envelope EnvelopeOf(PolicyVerdict verdict)
    {
        Assert.True(verdict.IsAllowed, string.Join("\n", verdict.Violations));
        return Assert.IsType<Envelope>(verdict.Envelope);
    }

    [Fact]
    public void The_default_envelope_is_the_plans_own_tools_and_targets_read_only_with_the_planners_extra_steps()
    {
        var envelope = EnvelopeOf(Policy().Evaluate(PlanOf(Get("s1", "https://Status.Example/health?x=1"), Search("s2"), Get("s3", Status + "/ready")), Requester));

        Assert.Equal(["http.get", "logs.search"], envelope.Tools);
        Assert.Equal([Status, "logs:/var/log"], envelope.Targets);
        Assert.Equal(RiskLevel.ReadOnly, envelope.MaxRisk);
        Assert.Equal(3, envelope.MaxExtraSteps);
    }

    [Fact]
    public void Planner_MaxExtraSteps_sets_the_default_number_of_extra_steps()
    {
        var envelope = EnvelopeOf(Policy(planner: new PlannerOptions { MaxExtraSteps = 1 }).Evaluate(PlanOf(Get("s1", Status)), Requester));

        Assert.Equal(1, envelope.MaxExtraSteps);
    }

    [Fact]
    public void A_write_plan_gets_a_read_only_envelope_without_its_write_tool_by_default()
    {
        var verdict = Policy().Evaluate(PlanOf(Get("s1", Status + "/health"), WriteFile("w1")), Requester);
        var envelope = EnvelopeOf(verdict);

        Assert.Equal(RiskLevel.Write, verdict.RiskLevel);
        Assert.Equal(RiskLevel.ReadOnly, envelope.MaxRisk);
        Assert.Equal(["http.get"], envelope.Tools);
        Assert.Equal(RiskLevel.Write, verdict.Approval!.Risk);
    }

    [Fact]
    public void A_write_plan_gets_a_write_envelope_when_Policy_EnvelopeMaxRisk_is_write()
    {
        var verdict = Policy(new PolicyOptions { EnvelopeMaxRisk = "write" }).Evaluate(PlanOf(Get("s1", Status + "/health"), WriteFile("w1")), Requester);
        var envelope = EnvelopeOf(verdict);

        Assert.Equal(RiskLevel.Write, envelope.MaxRisk);
        Assert.Equal(["http.get", "files.write"], envelope.Tools);
        Assert.Equal(RiskLevel.Write, verdict.Approval!.Risk);
        Assert.False(verdict.Approval.RequesterMayApprove);
    }

    [Fact]
    public void A_read_only_plan_with_a_write_envelope_needs_the_write_approval_from_someone_other_than_the_requester()
    {
        var plan = Proposing(Proposed(["files.write"], risk: RiskLevel.Write), Get("s1", Status + "/health"));

        var verdict = Policy(new PolicyOptions { EnvelopeMaxRisk = "write" }).Evaluate(plan, Requester);

        Assert.Equal(RiskLevel.ReadOnly, verdict.RiskLevel);
        Assert.Equal(RiskLevel.Write, EnvelopeOf(verdict).MaxRisk);
        Assert.Equal(RiskLevel.Write, verdict.Approval!.Risk);
        Assert.NotNull(ApprovalRules.WhyNotApprover(verdict.Approval, Requester, Requester));
        Assert.Null(ApprovalRules.WhyNotApprover(verdict.Approval, Requester, new Member("u-sam", "Sam", ProvenBy: "msteams")));
    }

    [Fact]
    public void A_read_only_plan_proposing_a_write_envelope_stays_read_only_and_self_approvable_by_default()
    {
        var plan = Proposing(Proposed(["files.write"], risk: RiskLevel.Write), Get("s1", Status + "/health"));

        var verdict = Policy().Evaluate(plan, Requester);
        var envelope = EnvelopeOf(verdict);

        Assert.Equal(RiskLevel.ReadOnly, envelope.MaxRisk);
        Assert.Equal(["http.get"], envelope.Tools);
        Assert.Equal(RiskLevel.ReadOnly, verdict.Approval!.Risk);
        Assert.True(verdict.Approval.RequesterMayApprove);
    }

    [Fact]
    public void A_proposed_risk_above_Policy_EnvelopeMaxRisk_is_clamped_to_it()
    {
        var plan = Proposing(Proposed(risk: RiskLevel.High), Get("s1", Status));

        Assert.Equal(RiskLevel.Write, EnvelopeOf(Policy(new PolicyOptions { EnvelopeMaxRisk = "write" }).Evaluate(plan, Requester)).MaxRisk);
        Assert.Equal(RiskLevel.ReadOnly, EnvelopeOf(Policy().Evaluate(plan, Requester)).MaxRisk);
    }

    [Fact]
    public void A_proposed_risk_below_the_plans_own_is_kept()
    {
        var plan = Proposing(Proposed(risk: RiskLevel.ReadOnly), Get("s1", Status), WriteFile("w1"));

        var envelope = EnvelopeOf(Policy(new PolicyOptions { EnvelopeMaxRisk = "write" }).Evaluate(plan, Requester));

        Assert.Equal(RiskLevel.ReadOnly, envelope.MaxRisk);
        Assert.DoesNotContain("files.write", envelope.Tools);
    }

    [Fact]
    public void The_requesters_request_ceiling_clamps_the_envelopes_max_risk()
    {
        var roles = new Dictionary<string, RoleOptions>
        {
            ["Default"] = new() { AllowedTools = ["*"], MaxRequestRisk = "write" },
            ["Readers"] = new() { Members = ["u-rita"], AllowedTools = ["*"], MaxRequestRisk = "read_only" },
        };
        var policy = Policy(new PolicyOptions { EnvelopeMaxRisk = "high" }, roles: roles);
        var plan = Proposing(Proposed(risk: RiskLevel.High), Get("s1", Status));

        Assert.Equal(RiskLevel.ReadOnly, EnvelopeOf(policy.Evaluate(plan, Requester)).MaxRisk);
        Assert.Equal(RiskLevel.Write, EnvelopeOf(policy.Evaluate(plan, new Member("u-sam", "Sam", ProvenBy: "msteams"))).MaxRisk);
    }

    [Fact]
    public void Proposed_tools_are_added_only_when_they_exist_under_their_own_names()
    {
        var plan = Proposing(Proposed(["logs.search", "SQL.QUERY", "no.such.tool", "http.get"]), Get("s1", Status));

        var envelope = EnvelopeOf(Policy().Evaluate(plan, Requester));

        Assert.Equal(["http.get", "logs.search", "sql.query"], envelope.Tools);
    }

    [Fact]
    public void Proposed_tools_the_requesters_role_does_not_allow_are_not_added()
    {
        var roles = new Dictionary<string, RoleOptions> { ["Default"] = new() { AllowedTools = ["http.*", "logs.*"] } };
        var plan = Proposing(Proposed(["sql.query", "logs.search"]), Get("s1", Status));

        var envelope = EnvelopeOf(Policy(roles: roles).Evaluate(plan, Requester));

        Assert.Equal(["http.get", "logs.search"], envelope.Tools);
    }

    [Fact]
    public void Proposed_tools_whose_least_risk_exceeds_the_envelopes_max_risk_are_not_added()
    {
        var plan = Proposing(Proposed(["files.write", "mcp.deploy.run", "logs.search"]), Get("s1", Status));

        var envelope = EnvelopeOf(Policy().Evaluate(plan, Requester));

        Assert.Equal(["http.get", "logs.search"], envelope.Tools);
    }

    [Fact]
    public void Proposed_http_targets_are_reduced_to_their_origin()
    {
        var plan = Proposing(
            Proposed(targets: ["https://ops:secret@API.Example:8443/v1/items?token=abc#frag", "http://metrics.example:80/x", "https://status.example:443/deep/path"]),
            Get("s1", Status + "/health"));

        var envelope = EnvelopeOf(Policy().Evaluate(plan, Requester));

        Assert.Equal([Status, "https://api.example:8443", "http://metrics.example"], envelope.Targets);
        Assert.DoesNotContain(envelope.Targets, t => t.Contains("secret", StringComparison.Ordinal) || t.Contains("token", StringComparison.Ordinal));
    }

    [Fact]
    public void Proposed_targets_that_name_nothing_an_envelope_tool_can_reach_are_dropped()
    {
        var plan = Proposing(
            Proposed(targets: ["not a target", "ftp://files.example/a", "", "   ", "file:///etc/passwd", "mailto:ops@example.com", "sql:reports", "/var/log"]),
            Get("s1", Status + "/health"));

        var envelope = EnvelopeOf(Policy().Evaluate(plan, Requester));

        Assert.Equal([Status], envelope.Targets);
    }

    [Fact]
    public void A_proposed_fixed_target_is_kept_only_if_an_envelope_tool_lists_it()
    {
        var plan = Proposing(
            Proposed(["sql.query"], ["sql:reports", "sql:payroll", "logs:/var/log", "mcp:deploy"]),
            Get("s1", Status + "/health"));

        var envelope = EnvelopeOf(Policy().Evaluate(plan, Requester));

        Assert.Equal(["http.get", "sql.query"], envelope.Tools);
        Assert.Equal([Status, "sql:reports"], envelope.Targets);
    }

    [Fact]
    public void A_proposed_target_of_a_tool_dropped_for_its_risk_is_dropped_with_it()
    {
        var plan = Proposing(Proposed(["mcp.deploy.run"], ["mcp:deploy"]), Search("s1"));

        var envelope = EnvelopeOf(Policy().Evaluate(plan, Requester));

        Assert.Equal(["logs.search"], envelope.Tools);
        Assert.Equal(["logs:/var/log"], envelope.Targets);
    }

    [Theory]
    [InlineData(50, 5, 3, 5)]
    [InlineData(4, 2, 3, 2)]
    [InlineData(1, 5, 3, 1)]
    [InlineData(0, 5, 3, 0)]
    [InlineData(Envelope.NotProposed, 5, 3, 3)]
    [InlineData(Envelope.NotProposed, 2, 4, 2)]
    public void Extra_steps_are_the_proposed_number_or_the_planners_default_clamped_to_Policy_MaxExtraSteps(int proposed, int policyMax, int plannerDefault, int expected)
    {
        var policy = Policy(new PolicyOptions { MaxExtraSteps = policyMax }, new PlannerOptions { MaxExtraSteps = plannerDefault });

        var envelope = EnvelopeOf(policy.Evaluate(Proposing(Proposed(extra: proposed), Get("s1", Status)), Requester));

        Assert.Equal(expected, envelope.MaxExtraSteps);
    }

    [Fact]
    public void An_envelope_without_tools_allows_no_extra_steps()
    {
        var envelope = EnvelopeOf(Policy().Evaluate(Proposing(Proposed(extra: 4), WriteFile("w1")), Requester));

        Assert.Empty(envelope.Tools);
        Assert.Equal(0, envelope.MaxExtraSteps);
    }

    [Fact]
    public void Apply_stores_each_step_at_its_effective_risk_with_its_targets_and_the_envelope()
    {
        var proposed = PlanOf(Get("s1", Status + "/health"), Post("s2", "https://api.example/restart?now=1"), WriteFile("s3"));
        var verdict = Policy().Evaluate(proposed, Requester);

        var stored = verdict.Apply(proposed);

        Assert.Equal(RiskLevel.ReadOnly, stored.Steps[0].Risk);
        Assert.Equal([Status], stored.Steps[0].Targets);
        Assert.Equal(RiskLevel.Write, stored.Steps[1].Risk);
        Assert.Equal(["https://api.example"], stored.Steps[1].Targets);
        Assert.Equal(RiskLevel.Write, stored.Steps[2].Risk);
        Assert.Equal([], stored.Steps[2].Targets);
        Assert.Equal(RiskLevel.Write, stored.RiskLevel);
        Assert.Same(verdict.Envelope, stored.Envelope);
    }

    [Fact]
    public void Apply_ignores_the_targets_a_planner_claimed()
    {
        var proposed = PlanOf(Get("s1", Status + "/health") with { Targets = ["https://anything.example"] });

        var stored = Policy().Evaluate(proposed, Requester).Apply(proposed);

        Assert.Equal([Status], stored.Steps[0].Targets);
    }

    [Fact]
    public void The_stored_plans_hash_changes_when_its_envelope_changes()
    {
        var proposed = PlanOf(Get("s1", Status + "/health"));
        var three = Policy().Evaluate(proposed, Requester).Apply(proposed);
        var threeAgain = Policy().Evaluate(proposed, Requester).Apply(proposed);
        var two = Policy(planner: new PlannerOptions { MaxExtraSteps = 2 }).Evaluate(proposed, Requester).Apply(proposed);
        var widerTargets = Policy().Evaluate(Proposing(Proposed(targets: ["https://api.example"]), proposed.Steps[0]), Requester).Apply(proposed);

        Assert.Equal(PlanDocument.Hash(three), PlanDocument.Hash(threeAgain));
        Assert.NotEqual(PlanDocument.Hash(three), PlanDocument.Hash(two));
        Assert.NotEqual(PlanDocument.Hash(three), PlanDocument.Hash(widerTargets));
    }

    [Fact]
    public void A_stored_plan_keeps_its_envelope_targets_and_hash_through_its_JSON()
    {
        var proposed = Proposing(Proposed(["logs.search"], ["https://api.example/x"], extra: 2), Get("s1", Status + "/health"));
        var stored = Policy().Evaluate(proposed, Requester).Apply(proposed);

        var reloaded = PlanDocument.FromJson(PlanDocument.ToJson(stored));

        Assert.Equal(PlanDocument.Hash(stored), PlanDocument.Hash(reloaded));
        Assert.Equal(["http.get", "logs.search"], reloaded.Envelope!.Tools);
        Assert.Equal([Status, "https://api.example"], reloaded.Envelope.Targets);
        Assert.Equal(RiskLevel.ReadOnly, reloaded.Envelope.MaxRisk);
        Assert.Equal(2, reloaded.Envelope.MaxExtraSteps);
        Assert.Equal([Status], reloaded.Steps[0].Targets);
    }
}
