using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Planning;

public sealed class PlanDocumentTests
{
    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static Plan SamplePlan() => new(
        "Investigate payment API latency spike",
        [
            new PlanStep("s1", "Query latency", "http.get", Args("""{"url":"https://metrics.example/latency"}"""), RiskLevel.ReadOnly),
            new PlanStep("s2", "Search error logs", "logs.search", Args("""{"pattern":"timeout"}"""), RiskLevel.ReadOnly, ["s1"]),
        ],
        RiskLevel.ReadOnly,
        "Identify likely cause with supporting evidence");

    [Fact]
    public void Same_plan_built_twice_has_the_same_hash()
    {
        Assert.Equal(PlanDocument.Hash(SamplePlan()), PlanDocument.Hash(SamplePlan()));
    }

    [Fact]
    public void Hash_survives_a_round_trip_through_the_stored_JSON()
    {
        var plan = SamplePlan();

        var reloaded = PlanDocument.FromJson(PlanDocument.ToJson(plan));

        Assert.Equal(PlanDocument.Hash(plan), PlanDocument.Hash(reloaded));
    }

    [Fact]
    public void Hash_is_sixteen_lowercase_hex_characters()
    {
        Assert.Matches("^[0-9a-f]{16}$", PlanDocument.Hash(SamplePlan()));
    }

    public static TheoryData<string> Changes => ["goal", "argument", "title", "tool", "risk", "dependency", "order", "criteria", "extra step"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Any_change_to_the_plan_changes_the_hash(string change)
    {
        var plan = SamplePlan();
        var s1 = plan.Steps[0];
        var s2 = plan.Steps[1];
        var changed = change switch
        {
            "goal" => plan with { Goal = plan.Goal + "!" },
            "argument" => plan with { Steps = [s1 with { Args = Args("""{"url":"https://metrics.example/latency?x=1"}""") }, s2] },
            "title" => plan with { Steps = [s1 with { Title = "Query latency now" }, s2] },
            "tool" => plan with { Steps = [s1, s2 with { Tool = "logs.grep" }] },
            "risk" => plan with { Steps = [s1, s2 with { Risk = RiskLevel.Write }] },
            "dependency" => plan with { Steps = [s1, s2 with { DependsOn = null }] },
            "order" => plan with { Steps = [s2, s1] },
            "criteria" => plan with { SuccessCriteria = "Anything" },
            "extra step" => plan with { Steps = [s1, s2, s2 with { Id = "s3" }] },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        Assert.NotEqual(PlanDocument.Hash(plan), PlanDocument.Hash(changed));
    }

    [Fact]
    public void Plan_JSON_uses_the_documented_field_names_and_wire_risk_levels()
    {
        var json = JsonNode.Parse(PlanDocument.ToJson(SamplePlan()))!;

        Assert.Equal("Investigate payment API latency spike", json["goal"]!.GetValue<string>());
        Assert.Equal("read_only", json["riskLevel"]!.GetValue<string>());
        Assert.Equal("Identify likely cause with supporting evidence", json["successCriteria"]!.GetValue<string>());
        var step = json["steps"]![1]!;
        Assert.Equal("s2", step["id"]!.GetValue<string>());
        Assert.Equal("logs.search", step["tool"]!.GetValue<string>());
        Assert.Equal("timeout", step["args"]!["pattern"]!.GetValue<string>());
        Assert.Equal("read_only", step["risk"]!.GetValue<string>());
        Assert.Equal("s1", step["dependsOn"]![0]!.GetValue<string>());
        Assert.Null(json["steps"]![0]!["dependsOn"]);
    }
}
