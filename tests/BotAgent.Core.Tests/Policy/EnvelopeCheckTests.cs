using System.Text.Json;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Policy;

public sealed class EnvelopeCheckTests
{
    private const string Status = "https://status.example";
    private const string Logs = "logs:/var/log";

    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static PlanStep Get(string id, string url, RiskLevel risk = RiskLevel.ReadOnly) =>
        new(id, $"Get {url}", "http.get", Args($$"""{"url":"{{url}}"}"""), risk, Targets: [BotAgent.Core.Tools.ToolTargets.OriginOf(url)!]);

    private static PlanStep Search(string id, string pattern) =>
        new(id, $"Search {pattern}", "logs.search", Args($$"""{"pattern":"{{pattern}}"}"""), RiskLevel.ReadOnly, Targets: [Logs]);

    private static PlanStep Restart(string id) =>
        new(id, "Restart the service", "svc.restart", Args("""{"service":"payments"}"""), RiskLevel.Write, Targets: ["mcp:ops"]);

    /// <summary>A read-only plan as policy stores it: two steps, its own tools and targets, two extra steps.</summary>
    private static Plan Approved(int maxExtraSteps = 2) => new(
        "Find why checkout is slow",
        [Get("s1", Status + "/health"), Search("s2", "timeout")],
        RiskLevel.ReadOnly,
        "The cause is named",
        new Envelope(["http.get", "logs.search"], [Status, Logs], RiskLevel.ReadOnly, maxExtraSteps));

    /// <summary>A write plan approved with a read-only envelope (the default): the write tool is not in it.</summary>
    private static Plan ApprovedWrite(RiskLevel envelopeRisk = RiskLevel.ReadOnly, int maxExtraSteps = 2) => new(
        "Restart payments if it is unhealthy",
        [Get("s1", Status + "/health"), Restart("w1")],
        RiskLevel.Write,
        "The service answers again",
        new Envelope(envelopeRisk >= RiskLevel.Write ? ["http.get", "svc.restart"] : ["http.get"], [Status, "mcp:ops"], envelopeRisk, maxExtraSteps));

    private static Plan Revised(params PlanStep[] steps) => new("Find why checkout is slow", steps, RiskLevel.ReadOnly, "The cause is named");

    private static IReadOnlyCollection<string> Ran(params PlanStep[] steps) => [.. steps.Select(CallKey.Of)];


    /// <summary>The check, with every attempt made since the approval (these tests have one approved version).</summary>
    private static IReadOnlyList<string> Revision(Plan approved, Plan revised, IReadOnlyCollection<string> attempted) =>
        EnvelopeCheck.Revision(approved, revised, attempted, attempted);

    [Fact]
    public void The_approved_plans_own_calls_fit_before_and_after_they_ran()
    {
        var approved = Approved();

        Assert.Empty(Revision(approved, approved, []));
        Assert.Empty(Revision(approved, approved, Ran(approved.Steps[0], approved.Steps[1])));
    }

    [Fact]
    public void A_new_read_only_step_with_an_envelope_tool_on_an_envelope_target_fits()
    {
        var approved = Approved();

        var problems = Revision(approved, Revised(Get("s3", Status + "/metrics?window=5m")), Ran(approved.Steps[0]));

        Assert.Empty(problems);
    }

    [Fact]
    public void A_new_step_on_a_target_outside_the_envelope_is_refused_naming_the_target()
    {
        var problems = Revision(Approved(), Revised(Get("s3", "https://attacker.example/collect")), []);

        Assert.Equal(["s3 (http.get) reaches https://attacker.example, which the approved envelope does not include"], problems);
    }

    [Fact]
    public void A_new_step_with_a_tool_outside_the_envelope_is_refused_naming_the_tool()
    {
        var step = new PlanStep("s3", "Query orders", "sql.query", Args("""{"sql":"select 1"}"""), RiskLevel.ReadOnly, Targets: []);

        var problems = Revision(Approved(), Revised(step), []);

        Assert.Equal(["s3 (sql.query) uses sql.query, which the approved envelope does not include"], problems);
    }

    [Fact]
    public void Tool_names_in_the_envelope_are_matched_without_regard_to_case()
    {
        var step = Get("s3", Status + "/metrics") with { Tool = "HTTP.GET" };

        Assert.Empty(EnvelopeCheck.Step(Approved(), step, []));
    }

    [Fact]
    public void A_new_step_riskier_than_the_envelopes_max_risk_is_refused()
    {
        var problems = Revision(Approved(), Revised(Get("s3", Status + "/purge", RiskLevel.Write)), []);

        Assert.Equal(["s3 (http.get) is write; the approved envelope allows at most read_only steps"], problems);
    }

    [Fact]
    public void A_new_write_under_a_read_only_envelope_is_refused_for_its_tool_and_its_risk()
    {
        var problems = Revision(ApprovedWrite(), Revised(Restart("w2") with { Args = Args("""{"service":"checkout"}""") }), []);

        Assert.Contains("w2 (svc.restart) uses svc.restart, which the approved envelope does not include", problems);
        Assert.Contains("w2 (svc.restart) is write; the approved envelope allows at most read_only steps", problems);
    }

    [Fact]
    public void An_approved_write_not_yet_run_fits_a_revision()
    {
        var approved = ApprovedWrite();

        var problems = Revision(approved, Revised(Get("s1", Status + "/health"), Restart("w1")), Ran(approved.Steps[0]));

        Assert.Empty(problems);
    }

    [Fact]
    public void An_approved_write_that_already_ran_repeated_by_a_revision_is_refused_as_a_repeat()
    {
        var approved = ApprovedWrite();

        var problems = Revision(approved, Revised(Restart("w1")), Ran(approved.Steps[0], approved.Steps[1]));

        Assert.Contains("w1 (svc.restart) repeats a write step that already ran; repeating it is a new write", problems);
    }

    [Fact]
    public void A_repeated_write_under_a_write_envelope_fits_the_envelope_but_counts_as_an_extra_step()
    {
        var ran = Ran(ApprovedWrite().Steps[1]);

        Assert.Empty(Revision(ApprovedWrite(RiskLevel.Write, maxExtraSteps: 1), Revised(Restart("w1")), ran));
        Assert.Equal(
            ["it adds 1 step(s) beyond the approved plan; the approved envelope allows 0"],
            Revision(ApprovedWrite(RiskLevel.Write, maxExtraSteps: 0), Revised(Restart("w1")), ran));
    }

    [Fact]
    public void A_read_only_approved_call_may_run_again_without_counting_as_extra()
    {
        var approved = Approved(maxExtraSteps: 0);

        var problems = Revision(approved, Revised(Get("s1b", Status + "/health")), Ran(approved.Steps[0]));

        Assert.Empty(problems);
        Assert.Equal(0, EnvelopeCheck.Extras(approved, Revised(Get("s1b", Status + "/health")), Ran(approved.Steps[0])));
    }

    [Fact]
    public void An_approved_call_that_now_reaches_more_than_when_it_was_approved_is_outside()
    {
        var widened = Get("s1", Status + "/health") with { Targets = [Status, "https://cdn.example"] };

        var problems = EnvelopeCheck.Step(Approved(), widened, []);

        Assert.Equal(["s1 (http.get) reaches https://cdn.example, which the approved envelope does not include"], problems);
    }

    [Fact]
    public void A_call_approved_before_targets_were_recorded_still_counts_as_approved_whatever_it_reaches()
    {
        var approved = Approved() with { Steps = [Get("s1", Status + "/health") with { Targets = null }] };

        var problems = EnvelopeCheck.Step(approved, Get("s1", Status + "/health") with { Targets = ["https://elsewhere.example"] }, []);

        Assert.Empty(problems);
    }

    [Fact]
    public void Steps_beyond_max_extra_steps_are_refused()
    {
        var approved = Approved(maxExtraSteps: 2);

        var two = Revision(approved, Revised(Get("x1", Status + "/a"), Get("x2", Status + "/b")), []);
        var three = Revision(approved, Revised(Get("x1", Status + "/a"), Get("x2", Status + "/b"), Get("x3", Status + "/c")), []);

        Assert.Empty(two);
        Assert.Equal(["it adds 3 step(s) beyond the approved plan; the approved envelope allows 2"], three);
    }

    [Fact]
    public void Extra_steps_already_attempted_under_later_versions_count_against_the_allowance()
    {
        var approved = Approved(maxExtraSteps: 2);
        var ranUnderVersion2 = Ran(approved.Steps[0], Get("x1", Status + "/a"), Get("x2", Status + "/b"));

        var oneMore = Revision(approved, Revised(Get("x3", Status + "/c")), ranUnderVersion2);
        var sameAgain = Revision(approved, Revised(Get("x2", Status + "/b")), ranUnderVersion2);

        Assert.Equal(["it adds 3 step(s) beyond the approved plan; the approved envelope allows 2"], oneMore);
        Assert.Empty(sameAgain);
    }

    [Fact]
    public void Extras_counts_distinct_calls_outside_the_approved_plan()
    {
        var approved = Approved();
        var revised = Revised(Get("s1", Status + "/health"), Get("x1", Status + "/a"), Get("x1b", Status + "/a"), Search("x2", "error"));

        Assert.Equal(2, EnvelopeCheck.Extras(approved, revised, []));
    }

    [Fact]
    public void A_plan_stored_without_an_envelope_allows_only_its_own_calls()
    {
        var approved = Approved() with { Envelope = null };

        var own = Revision(approved, Revised(Search("s2", "timeout")), Ran(approved.Steps[0]));
        var extra = Revision(approved, Revised(Get("s3", Status + "/metrics")), []);

        Assert.Empty(own);
        Assert.Equal(["it adds 1 step(s) beyond the approved plan; the approved envelope allows 0"], extra);
    }

    [Fact]
    public void The_envelope_of_a_plan_stored_without_one_is_its_own_tools_targets_and_risk_with_no_extra_steps()
    {
        var approved = Approved() with { Envelope = null, Steps = [Get("s1", Status + "/health"), Get("s2", Status + "/ready"), Search("s3", "x")] };

        var envelope = EnvelopeCheck.Of(approved);

        Assert.Equal(["http.get", "logs.search"], envelope.Tools);
        Assert.Equal([Status, Logs], envelope.Targets);
        Assert.Equal(RiskLevel.ReadOnly, envelope.MaxRisk);
        Assert.Equal(0, envelope.MaxExtraSteps);
    }

    [Fact]
    public void A_stored_envelope_is_used_as_it_is()
    {
        var approved = Approved(maxExtraSteps: 4);

        Assert.Same(approved.Envelope, EnvelopeCheck.Of(approved));
    }

    [Fact]
    public void Every_step_outside_is_reported_not_only_the_first()
    {
        var problems = Revision(Approved(), Revised(Get("x1", "https://a.example/"), Get("x2", "https://b.example/")), []);

        Assert.Contains(problems, p => p.StartsWith("x1 (http.get) reaches https://a.example", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("x2 (http.get) reaches https://b.example", StringComparison.Ordinal));
    }
}
