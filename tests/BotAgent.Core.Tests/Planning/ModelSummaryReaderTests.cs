using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Planning;

public sealed class ModelSummaryReaderTests
{
    private static readonly IReadOnlySet<string> Ran = new HashSet<string>(StringComparer.Ordinal) { "s1", "s2" };

    [Fact]
    public void A_JSON_summary_is_read_with_its_verdict_reason_and_evidence()
    {
        var summary = ModelSummaryReader.Read("""
            {"summary":"  Checkout is healthy again.  ","verdict":"met","reason":"s2 returned 200","evidence":["s2","s1"]}
            """, Ran)!;

        Assert.Equal("Checkout is healthy again.", summary.Text);
        var goal = Assert.IsType<GoalVerdict>(summary.Goal);
        Assert.Equal(GoalStatus.Met, goal.Verdict);
        Assert.Equal("s2 returned 200", goal.Reason);
        Assert.Equal(["s2", "s1"], goal.Evidence);
    }

    [Fact]
    public void Evidence_naming_steps_that_did_not_run_is_dropped()
    {
        var summary = ModelSummaryReader.Read("""{"summary":"x","verdict":"not_met","reason":"r","evidence":["s9","s1","s1",3,"S2"]}""", Ran)!;

        Assert.Equal(GoalStatus.NotMet, summary.Goal!.Verdict);
        Assert.Equal(["s1"], summary.Goal.Evidence);
    }

    [Theory]
    [InlineData("not met", GoalStatus.NotMet)]
    [InlineData("NotMet", GoalStatus.NotMet)]
    [InlineData(" Inconclusive ", GoalStatus.Inconclusive)]
    public void Verdicts_are_read_in_the_spellings_models_use(string verdict, GoalStatus expected)
    {
        var summary = ModelSummaryReader.Read($$"""{"summary":"x","verdict":"{{verdict}}"}""", Ran)!;

        Assert.Equal(expected, summary.Goal!.Verdict);
    }

    [Fact]
    public void A_verdict_without_a_reason_says_so()
    {
        var summary = ModelSummaryReader.Read("""{"summary":"x","verdict":"met"}""", Ran)!;

        Assert.Equal("the model gave no reason", summary.Goal!.Reason);
        Assert.Empty(summary.Goal.Evidence);
    }

    [Theory]
    [InlineData("""{"summary":"x"}""")]
    [InlineData("""{"summary":"x","verdict":"probably"}""")]
    [InlineData("""{"summary":"x","verdict":true}""")]
    public void A_JSON_summary_without_a_verdict_it_knows_has_none(string text)
    {
        var summary = ModelSummaryReader.Read(text, Ran)!;

        Assert.Equal("x", summary.Text);
        Assert.Null(summary.Goal);
    }

    [Fact]
    public void Plain_text_is_kept_as_the_summary_with_no_verdict()
    {
        var summary = ModelSummaryReader.Read("  Checkout is healthy; the goal was met {mostly}.\n", Ran)!;

        Assert.Equal("Checkout is healthy; the goal was met {mostly}.", summary.Text);
        Assert.Null(summary.Goal);
    }

    [Theory]
    [InlineData("""{"text":"Checkout is healthy","verdict":"met"}""")]
    [InlineData("""{"summary":42,"verdict":"met"}""")]
    [InlineData("""{"summary":"  ","verdict":"met"}""")]
    public void A_JSON_object_without_a_summary_gives_nothing_so_raw_JSON_is_never_posted(string text)
    {
        Assert.Null(ModelSummaryReader.Read(text, Ran));
    }

    [Fact]
    public void Text_that_only_looks_like_JSON_is_kept_as_text()
    {
        const string text = """{"summary": "unterminated""";

        var summary = ModelSummaryReader.Read(text, Ran)!;

        Assert.Equal(text, summary.Text);
        Assert.Null(summary.Goal);
    }

    [Fact]
    public void A_summary_in_a_code_fence_is_read()
    {
        var summary = ModelSummaryReader.Read("```json\n{\"summary\":\"All good.\",\"verdict\":\"met\",\"evidence\":[\"s1\"]}\n```", Ran)!;

        Assert.Equal("All good.", summary.Text);
        Assert.Equal(["s1"], summary.Goal!.Evidence);
    }

    [Fact]
    public void A_long_reason_is_cut_to_500_characters()
    {
        var summary = ModelSummaryReader.Read($$"""{"summary":"x","verdict":"met","reason":"{{new string('r', 2000)}}"}""", Ran)!;

        Assert.Equal(500, summary.Goal!.Reason.Length);
        Assert.EndsWith("…", summary.Goal.Reason, StringComparison.Ordinal);
    }
}
