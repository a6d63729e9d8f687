using System.Text.Json;
using BotAgent.Core.Observation;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Observation;

public sealed class PlanDiffTests
{
    private static readonly IReadOnlySet<string> NoneDone = new HashSet<string>(StringComparer.Ordinal);

    private static PlanStep Get(string id, string url, params string[] targets) =>
        new(id, $"Get {id}", "http.get", JsonDocument.Parse($$"""{"url":"{{url}}"}""").RootElement.Clone(), RiskLevel.ReadOnly, Targets: targets);

    private static PlanStep Search(string id) =>
        new(id, "Search logs", "logs.search", JsonDocument.Parse("""{"pattern":"timeout"}""").RootElement.Clone(), RiskLevel.ReadOnly);

    private static Plan PlanOf(params PlanStep[] steps) => new("g", steps, RiskLevel.ReadOnly, "c");

    [Fact]
    public void The_same_plan_has_no_changes_whatever_whitespace_its_arguments_have()
    {
        var spaced = Get("s1", "https://a.example/x") with { Args = JsonDocument.Parse("""{ "url" : "https://a.example/x" }""").RootElement.Clone() };

        Assert.Empty(PlanDiff.Compare(PlanOf(Get("s1", "https://a.example/x"), Search("s2")), PlanOf(spaced, Search("s2")), NoneDone));
    }

    [Fact]
    public void An_added_step_is_listed_with_its_tool_risk_and_targets()
    {
        var changes = PlanDiff.Compare(PlanOf(Search("s1")), PlanOf(Search("s1"), Get("s2", "https://b.example/y", "https://b.example")), NoneDone);

        Assert.Equal(["+ added s2: Get s2 (http.get, read_only) → https://b.example"], changes);
    }

    [Fact]
    public void A_step_with_new_arguments_is_listed_as_changed_with_what_it_now_reaches()
    {
        var changes = PlanDiff.Compare(PlanOf(Get("s1", "https://a.example/x", "https://a.example")), PlanOf(Get("s1", "https://c.example/x", "https://c.example")), NoneDone);

        var change = Assert.Single(changes);
        Assert.StartsWith("~ changed s1: http.get ", change, StringComparison.Ordinal);
        Assert.Contains("a.example", change, StringComparison.Ordinal);
        Assert.EndsWith(" → https://c.example", change, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_with_a_new_risk_is_listed_as_changed()
    {
        var changes = PlanDiff.Compare(PlanOf(Search("s1")), PlanOf(Search("s1") with { Risk = RiskLevel.Write }) with { RiskLevel = RiskLevel.Write }, NoneDone);

        Assert.Contains(changes, c => c.StartsWith("~ changed s1: ", StringComparison.Ordinal) && c.Contains("(write)", StringComparison.Ordinal));
        Assert.Contains("risk read_only → write", changes);
    }

    [Fact]
    public void A_step_left_out_is_removed_unless_it_is_already_done()
    {
        var previous = PlanOf(Search("s1"), Get("s2", "https://a.example/"), Get("s3", "https://a.example/z"));
        var revised = PlanOf(Get("s4", "https://a.example/w"));

        var changes = PlanDiff.Compare(previous, revised, new HashSet<string>(StringComparer.Ordinal) { "s1" });

        Assert.Contains("− removed s2: Get s2 (http.get)", changes);
        Assert.Contains("− removed s3: Get s3 (http.get)", changes);
        Assert.DoesNotContain(changes, c => c.Contains("s1", StringComparison.Ordinal));
    }
}
