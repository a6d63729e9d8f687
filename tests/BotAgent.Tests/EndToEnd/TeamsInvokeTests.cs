using System.Net;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.EndToEnd;

/// <summary>Teams sends Action.Execute clicks as adaptiveCard/action invokes, answered in the HTTP response.</summary>
public sealed class TeamsInvokeTests
{
    [Fact]
    public async Task Execute_click_is_answered_inline_with_the_refreshed_card_and_the_plan_runs_once()
    {
        await using var s = await BotScenario.StartAsync(channelId: "msteams");
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");
        Assert.All(CardTexts.Actions(card.Card), a => Assert.Equal("Action.Execute", a["type"]!.GetValue<string>()));
        Assert.All(CardTexts.Actions(card.Card), a => Assert.Equal("Action.Submit", a["fallback"]!["type"]!.GetValue<string>()));
        AdaptiveCardSchema.AssertValid(card.Card);

        var answer = await s.ExecuteAsync(BotScenario.Bob, card, "approve", activityId: "invoke-1");

        Assert.Equal(200, answer["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
        var refreshed = answer["value"]!.AsObject();
        AdaptiveCardSchema.AssertValid(refreshed);
        Assert.Contains("Approved by Bob", CardTexts.Of(refreshed));
        Assert.Empty(CardTexts.Actions(refreshed));

        await s.WaitForReplyAsync(card, "Run succeeded");
        await s.WaitForCardAsync(card, "Plan succeeded");

        // Teams redelivers an invoke it thinks went unanswered: same id, no second decision.
        var replay = await s.ExecuteAsync(BotScenario.Bob, card, "approve", activityId: "invoke-1");
        Assert.Equal(200, replay["statusCode"]!.GetValue<int>());
        Assert.Contains("Plan succeeded", CardTexts.Of(replay["value"]));

        Assert.Equal(1, s.Target.HitCount("/health"));
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
    }

    [Fact]
    public async Task Execute_click_on_a_finished_run_returns_the_card_with_the_reason()
    {
        await using var s = await BotScenario.StartAsync(channelId: "msteams");
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");
        await s.ExecuteAsync(BotScenario.Bob, card, "reject");
        await s.WaitForCardAsync(card, "Plan rejected");

        var late = await s.ExecuteAsync(BotScenario.Carol, card, "approve");

        var text = CardTexts.Of(late["value"]);
        Assert.Contains("Nothing changed", text);
        Assert.Contains("rejected", text);
        Assert.Equal(0, s.Target.HitCount("/health"));
    }

    [Fact]
    public async Task Invoke_without_an_action_gets_an_invoke_error_not_a_crash()
    {
        await using var s = await BotScenario.StartAsync(channelId: "msteams");
        var invoke = s.Activities.Execute(BotScenario.Bob, "approve", new System.Text.Json.Nodes.JsonObject(), "card-x");
        invoke["value"] = new System.Text.Json.Nodes.JsonObject();

        var response = await s.Bot.PostActivityAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_click_from_another_conversation_changes_nothing_and_reveals_nothing()
    {
        await using var s = await BotScenario.StartAsync(channelId: "msteams");
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/secret-path")}");
        var approve = card.Button("approve");
        var stranger = new Activities(s.Channel.ServiceUrl, "msteams", "another-conversation")
            .Execute(BotScenario.Carol, "approve", approve["data"]!.AsObject(), card.ActivityId);

        var response = await s.Bot.PostActivityAsync(stranger);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("another conversation", body);
        Assert.DoesNotContain("secret-path", body);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
    }
}
