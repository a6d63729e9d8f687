using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Channels.BotFramework;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Channels.Tests.BotFramework;

public sealed class AdaptiveCardRendererTests
{
    private static readonly ConversationKey Conversation =
        new ConversationKey("botframework", "msteams", "19:abc@thread.tacv2", "goal-1", new Member("bot-1", "BotAgent")).WithAddress(("serviceUrl", "https://smba.example/"));

    private static string? Str(JsonNode? node) => node?.GetValue<string>();

    /// <summary>The bytes the Connector client would send for this card.</summary>
    private static int WireBytes(JsonObject card, string fallbackText) =>
        JsonSerializer.SerializeToUtf8Bytes(BotFrameworkSender.CardActivity(Conversation, card, fallbackText), BotFrameworkJsonContext.Default.Activity).Length;

    public static TheoryData<RunStatus, bool, CardActionStyle, bool> PlanCases()
    {
        var data = new TheoryData<RunStatus, bool, CardActionStyle, bool>();
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            foreach (var style in Enum.GetValues<CardActionStyle>())
            {
                foreach (var accepts in new[] { true, false })
                {
                    data.Add(status, accepts, style, false);
                    data.Add(status, accepts, style, true);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PlanCases))]
    public void Plan_card_validates_against_the_Adaptive_Card_schema(RunStatus status, bool acceptsDecisions, CardActionStyle style, bool withNotice)
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Plan(status, acceptsDecisions), style, withNotice ? "This card showed an older plan; here is the current one." : null);

        AdaptiveCardSchema.AssertValid(card);
        Assert.Equal("AdaptiveCard", Str(card["type"]));
        Assert.Equal("1.5", Str(card["version"]));
        Assert.Equal(acceptsDecisions, card["actions"] is JsonArray { Count: 2 });
    }

    [Theory]
    [InlineData(StepState.Pending)]
    [InlineData(StepState.Running)]
    [InlineData(StepState.Succeeded)]
    [InlineData(StepState.Failed)]
    [InlineData(StepState.TimedOut)]
    [InlineData(StepState.Cancelled)]
    [InlineData(StepState.OutcomeUnknown)]
    [InlineData(StepState.Skipped)]
    public void Step_result_card_validates_against_the_Adaptive_Card_schema(StepState state)
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Step(state), CardActionStyle.Execute);

        AdaptiveCardSchema.AssertValid(card);
        Assert.Equal("1.5", Str(card["version"]));
    }

    [Fact]
    public void Step_result_card_with_long_output_and_an_error_validates_and_shows_both()
    {
        var view = SampleViews.Step(StepState.Failed, output: TextExcerpt.Truncate(new string('o', 5000) + "\n" + new string('p', 5000), 1500), error: "HTTP 503 Service Unavailable");

        var card = AdaptiveCardRenderer.Render(view, CardActionStyle.Submit);

        AdaptiveCardSchema.AssertValid(card);
        var text = CardTexts.Of(card);
        Assert.Contains("Error: HTTP 503 Service Unavailable", text, StringComparison.Ordinal);
        Assert.Contains(new string('o', 1000), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_result_card_without_output_or_error_validates()
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Step(StepState.Succeeded, output: null) with { Facts = [] }, CardActionStyle.Submit);

        AdaptiveCardSchema.AssertValid(card);
    }

    [Theory]
    [InlineData(RunStatus.Succeeded)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Cancelled)]
    public void Summary_card_validates_against_the_Adaptive_Card_schema(RunStatus status)
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Summary(status), CardActionStyle.Submit);

        AdaptiveCardSchema.AssertValid(card);
        Assert.Equal("1.5", Str(card["version"]));
        var text = CardTexts.Of(card);
        Assert.Contains(status == RunStatus.Succeeded ? "Run succeeded" : $"Run {status.ToWire()}", text, StringComparison.Ordinal);
        Assert.Contains("s2: 12 matching lines", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NoticeTone.Info, true)]
    [InlineData(NoticeTone.Warning, true)]
    [InlineData(NoticeTone.Error, true)]
    [InlineData(NoticeTone.Info, false)]
    public void Notice_card_validates_against_the_Adaptive_Card_schema(NoticeTone tone, bool withRun)
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Notice(tone, withRun ? SampleViews.RunId : null), CardActionStyle.Submit);

        AdaptiveCardSchema.AssertValid(card);
        Assert.Equal("1.5", Str(card["version"]));
        Assert.Contains("there is no tool 'shell.exec'", CardTexts.Of(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_card_without_lines_validates()
    {
        var card = AdaptiveCardRenderer.Render(new NoticeView("Nothing changed.", [], NoticeTone.Warning), CardActionStyle.Submit);

        AdaptiveCardSchema.AssertValid(card);
    }

    [Fact]
    public void Submit_style_buttons_carry_the_verb_run_id_and_plan_hash()
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true), CardActionStyle.Submit);

        var actions = CardTexts.Actions(card);
        Assert.Equal(["Approve", "Reject"], actions.Select(a => Str(a["title"])));
        Assert.All(actions, a => Assert.Equal("Action.Submit", Str(a["type"])));
        Assert.Equal(["approve", "reject"], actions.Select(a => Str(a["data"]!["verb"])));
        Assert.All(actions, a =>
        {
            Assert.Equal(SampleViews.RunId, Str(a["data"]!["runId"]));
            Assert.Equal(SampleViews.PlanHash, Str(a["data"]!["planHash"]));
            Assert.NotNull(a["data"]![AdaptiveCardRenderer.BotAgentMarker]);
        });
    }

    [Fact]
    public void Execute_style_buttons_are_Action_Execute_with_an_Action_Submit_fallback()
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true), CardActionStyle.Execute);

        var actions = CardTexts.Actions(card);
        Assert.Equal(["approve", "reject"], actions.Select(a => Str(a["verb"])));
        Assert.All(actions, a =>
        {
            Assert.Equal("Action.Execute", Str(a["type"]));
            Assert.Equal(SampleViews.RunId, Str(a["data"]!["runId"]));
            Assert.Equal(SampleViews.PlanHash, Str(a["data"]!["planHash"]));
            var fallback = Assert.IsType<JsonObject>(a["fallback"]);
            Assert.Equal("Action.Submit", Str(fallback["type"]));
            Assert.Equal(Str(a["verb"]), Str(fallback["data"]!["verb"]));
            Assert.Equal(SampleViews.RunId, Str(fallback["data"]!["runId"]));
            Assert.Equal(SampleViews.PlanHash, Str(fallback["data"]!["planHash"]));
        });
    }

    [Theory]
    [InlineData("msteams", CardActionStyle.Execute)]
    [InlineData("MSTeams", CardActionStyle.Execute)]
    [InlineData("emulator", CardActionStyle.Submit)]
    [InlineData("webchat", CardActionStyle.Submit)]
    [InlineData(null, CardActionStyle.Submit)]
    public void Only_Teams_gets_Universal_Actions(string? channelId, CardActionStyle expected)
    {
        Assert.Equal(expected, AdaptiveCardRenderer.StyleFor(channelId));
    }

    [Fact]
    public void Plan_card_that_accepts_no_decisions_has_no_buttons()
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.Running, acceptsDecisions: false), CardActionStyle.Execute);

        Assert.Null(card["actions"]);
    }

    [Fact]
    public void Notice_is_shown_first_on_the_plan_card()
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.AwaitingApproval, true), CardActionStyle.Submit, "This card showed an older plan.");

        Assert.Contains("This card showed an older plan.", Str(card["body"]![0]!["text"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_card_shows_the_goal_steps_version_and_run()
    {
        var text = CardTexts.Of(AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.AwaitingApproval, true), CardActionStyle.Submit));

        Assert.Contains("Investigate payment API latency spike", text, StringComparison.Ordinal);
        Assert.Contains("Step in state outcome_unknown", text, StringComparison.Ordinal);
        Assert.Contains($"Plan: v2 · {SampleViews.PlanHash}", text, StringComparison.Ordinal);
        Assert.Contains($"Run {SampleViews.RunId}", text, StringComparison.Ordinal);
        Assert.Contains("Expires: 2026-11-26 10:00 UTC", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_card_shows_each_steps_target_and_expectation_the_envelope_why_a_revision_needs_approval_and_the_goal()
    {
        var waiting = CardTexts.Of(AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true), CardActionStyle.Execute));
        Assert.Contains("http.get on https://example.com · url=https://example.com/health · headers={1} · read_only · expects HTTP 2xx", waiting, StringComparison.Ordinal);
        Assert.Contains("If results call for it, BotAgent may add up to 3 read-only steps", waiting, StringComparison.Ordinal);
        Assert.Contains("Why this needs approval again", waiting, StringComparison.Ordinal);
        Assert.Contains("⚠️ Outside what was approved on v1: s2 (http.get) reaches https://elsewhere.example", waiting, StringComparison.Ordinal);

        var finished = AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.Succeeded, acceptsDecisions: false), CardActionStyle.Execute);
        var text = CardTexts.Of(finished);
        Assert.Contains("⚠️ Plan ran; goal not met", text, StringComparison.Ordinal);
        Assert.Contains("⚠️ Goal not met: s2 found no matching lines (evidence: s2)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("If results call for it", text, StringComparison.Ordinal);
        AdaptiveCardSchema.AssertValid(finished);

        var summary = CardTexts.Of(AdaptiveCardRenderer.Render(SampleViews.Summary(RunStatus.Succeeded), CardActionStyle.Submit));
        Assert.Contains("🎯 Goal met: s2 names the cause (evidence: s2)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_of_one_hundred_steps_with_long_titles_stays_under_100_KB_on_the_wire()
    {
        var view = SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true, stepCount: 100, titleLength: 2000) with { Goal = new string('g', 10_000) };

        var card = AdaptiveCardRenderer.Render(view, CardActionStyle.Execute);

        AdaptiveCardSchema.AssertValid(card);
        Assert.InRange(WireBytes(card, view.FallbackText), 1, 100 * 1024 - 1);
    }

    [Fact]
    public void Step_result_with_100_KB_of_output_stays_under_100_KB_on_the_wire()
    {
        var view = SampleViews.Step(StepState.Succeeded, output: new string('x', 100 * 1024)) with
        {
            Title = new string('t', 5000),
            Summary = new string('s', 5000),
        };

        var card = AdaptiveCardRenderer.Render(view, CardActionStyle.Submit);

        AdaptiveCardSchema.AssertValid(card);
        Assert.InRange(WireBytes(card, view.FallbackText), 1, 100 * 1024 - 1);
    }

    [Fact]
    public void Step_result_with_100_KB_of_error_stays_under_100_KB_on_the_wire()
    {
        var view = SampleViews.Step(StepState.Failed, output: null, error: new string('e', 100 * 1024));

        var card = AdaptiveCardRenderer.Render(view, CardActionStyle.Submit);

        AdaptiveCardSchema.AssertValid(card);
        Assert.InRange(WireBytes(card, view.FallbackText), 1, 100 * 1024 - 1);
    }

    [Fact]
    public void Step_result_with_the_most_non_ASCII_output_the_reporter_lets_through_stays_under_100_KB_on_the_wire()
    {
        // ReportingOptions.MaxOutputChars allows up to 20,000 characters; non-ASCII text is escaped as \uXXXX on the wire.
        var output = TextExcerpt.Truncate(string.Concat(Enumerable.Repeat("Ошибка соединения с базой данных\n", 1000)), 20_000);
        var view = SampleViews.Step(StepState.Failed, output: output, error: "HTTP 500");

        var card = AdaptiveCardRenderer.Render(view, CardActionStyle.Submit);

        Assert.InRange(WireBytes(card, view.FallbackText), 1, 100 * 1024 - 1);
    }

    [Fact]
    public void Summary_with_long_text_and_many_evidence_lines_stays_under_100_KB_on_the_wire()
    {
        var view = SampleViews.Summary(RunStatus.Failed) with
        {
            Text = new string('x', 100 * 1024),
            Evidence = [.. Enumerable.Range(0, 500).Select(i => $"{i}: " + new string('e', 2000))],
        };

        var card = AdaptiveCardRenderer.Render(view, CardActionStyle.Submit);

        AdaptiveCardSchema.AssertValid(card);
        Assert.InRange(WireBytes(card, view.FallbackText), 1, 100 * 1024 - 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decision_card_validates_and_a_copy_sent_again_says_so(bool sentAgain)
    {
        var view = new DecisionCardView(SampleViews.RunId, SampleViews.PlanHash, 42, 2, "s2", "POST /tickets", "http.request",
            "url=https://example.com/tickets", "Any member other than Rita", AcceptsDecisions: true, ResolvedText: null, SentAgain: sentAgain);

        var card = AdaptiveCardRenderer.Render(view, CardActionStyle.Execute);

        AdaptiveCardSchema.AssertValid(card);
        Assert.Equal(sentAgain, CardTexts.Of(card).Contains("Sent again", StringComparison.Ordinal));
        Assert.Contains("Did this step happen?", CardTexts.Of(card), StringComparison.Ordinal);
    }
}
