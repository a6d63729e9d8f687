using BotAgent.Channels.BotFramework;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;

namespace BotAgent.Tests.Traces;

/// <summary>With a public address configured, plan cards link to their run's trace page; the cards stay valid Adaptive Cards 1.5.</summary>
public sealed class TraceLinkTests
{
    [Fact]
    public async Task Plan_cards_link_to_the_run_page_under_the_public_base_url()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["BotFramework:PublicBaseUrl"] = "https://bot.example.com/" });
        s.Target.Respond("/ok", new TargetResponse(200, "fine"));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok")}");

        var runId = card.ButtonData("approve")["runId"]!.GetValue<string>();
        var link = Assert.Single(CardTexts.Actions(card.Card), a => a["type"]!.GetValue<string>() == "Action.OpenUrl");
        Assert.Equal("View trace", link["title"]!.GetValue<string>());
        Assert.Equal($"https://bot.example.com/runs/{runId}", link["url"]!.GetValue<string>());
        AdaptiveCardSchema.AssertValid(card.Card);

        // Once decided the buttons go; the link stays.
        await s.SubmitAsync(BotScenario.Alice, card, "approve");
        var done = await s.WaitForCardAsync(card, "Plan succeeded");
        Assert.Equal(["Action.OpenUrl"], CardTexts.Actions(done).Select(a => a["type"]!.GetValue<string>()));
        AdaptiveCardSchema.AssertValid(done);
    }

    [Fact]
    public async Task Without_a_public_base_url_cards_carry_no_link()
    {
        await using var s = await BotScenario.StartAsync();

        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok")}");

        Assert.DoesNotContain(CardTexts.Actions(card.Card), a => a["type"]!.GetValue<string>() == "Action.OpenUrl");
    }

    [Theory]
    [InlineData(CardActionStyle.Execute, true)]
    [InlineData(CardActionStyle.Submit, true)]
    [InlineData(CardActionStyle.Execute, false)]
    public void Cards_with_a_trace_link_are_valid_with_and_without_buttons(CardActionStyle style, bool acceptsDecisions)
    {
        var view = new PlanCardView(
            "run-1", "hash-1", 1, "Check the status page", "Alice", acceptsDecisions ? RunStatus.AwaitingApproval : RunStatus.Succeeded,
            RiskLevel.ReadOnly, "It answers 2xx", "Anyone in this conversation",
            [new StepView(1, "s1", "GET the page", "http.get", "url=https://example.com", RiskLevel.ReadOnly, StepState.Succeeded, "HTTP 200")],
            [], "Waiting for approval", acceptsDecisions, null, [], TraceUrl: "https://bot.example.com/runs/run-1");

        var card = AdaptiveCardRenderer.Render(view, style);

        AdaptiveCardSchema.AssertValid(card);
        Assert.Equal(acceptsDecisions ? 3 : 1, CardTexts.Actions(card).Count);
        Assert.Equal("https://bot.example.com/runs/run-1", CardTexts.Actions(card)[^1]["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_public_base_url_that_is_not_an_address_stops_the_bot_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var bot = await BotUnderTest.StartAsync(new Dictionary<string, string?> { ["BotFramework:PublicBaseUrl"] = "bot.example.com" });
        });

        Assert.Contains("BotFramework:PublicBaseUrl", error.Message);
    }
}
