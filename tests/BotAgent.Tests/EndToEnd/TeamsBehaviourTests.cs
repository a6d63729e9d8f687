using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.EndToEnd;

/// <summary>What Teams does differently: mentions, channel threads, user-specific views, redeliveries.</summary>
public sealed class TeamsBehaviourTests
{
    private const string ChannelThread = "19:7f2b4c1d9e3a@thread.tacv2;messageid=1732530000000";

    [Fact]
    public async Task The_bots_mention_is_stripped_others_are_kept_and_the_reply_lands_in_the_channel_thread()
    {
        await using var s = await BotScenario.StartAsync("msteams", conversationId: ChannelThread);
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var goal = s.Activities.Message(BotScenario.Alice, $"\r\n<at>BotAgent</at> check {s.Target.Url("/health")}\r\n");
        goal["conversation"] = new JsonObject { ["id"] = ChannelThread, ["conversationType"] = "channel", ["isGroup"] = true };
        goal["entities"] = new JsonArray(new JsonObject
        {
            ["type"] = "mention",
            ["mentioned"] = Activities.Bot.DeepClone(),
            ["text"] = "<at>BotAgent</at>",
        });

        Assert.Equal(HttpStatusCode.OK, (await s.Bot.PostActivityAsync(goal)).StatusCode);

        var card = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.Card is not null, what: "the plan card")).Single();
        Assert.Equal(ChannelThread, card.ConversationId); // the ';messageid=' thread, URL-encoded in the path and decoded back
        Assert.Equal(goal["id"]!.GetValue<string>(), card.ActivityId); // a reply to the goal
        Assert.Contains($"\ncheck {s.Target.Url("/health")}\n", card.CardText);
        Assert.DoesNotContain("<at>", card.CardText);
    }

    [Fact]
    public async Task Only_the_bots_own_mention_is_removed()
    {
        await using var s = await BotScenario.StartAsync("msteams");
        var goal = s.Activities.Message(BotScenario.Alice, "<at>BotAgent</at> make <at>Carol</at> a sandwich");
        goal["entities"] = new JsonArray(
            new JsonObject { ["type"] = "mention", ["mentioned"] = Activities.Bot.DeepClone(), ["text"] = "<at>BotAgent</at>" },
            new JsonObject { ["type"] = "mention", ["mentioned"] = BotScenario.Carol.DeepClone(), ["text"] = "<at>Carol</at>" });

        await s.Bot.PostActivityAsync(goal);

        // The answer is a card (the typing indicator that precedes it in Teams is not).
        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.Card is not null, what: "the answer");
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("make <at>Carol</at> a sandwich", await db.QuerySingleAsync<string>("SELECT goal FROM runs"));
    }

    [Fact]
    public async Task A_goal_planned_at_once_gets_its_card_without_a_typing_indicator_first()
    {
        // A bound no test machine's cold start reaches: the default (300 ms) is, on a loaded one.
        await using var s = await BotScenario.StartAsync("msteams", settings: new Dictionary<string, string?> { ["Planner:TypingAfter"] = "00:00:30" });

        await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        // The offline planner answers at once: "typing…" is only for planning slower than Planner:TypingAfter.
        Assert.DoesNotContain(s.Channel.Calls, c => c.Body?["type"]?.GetValue<string>() == "typing");
    }

    [Fact]
    public async Task Approvers_see_the_buttons_and_others_a_read_only_view()
    {
        await using var s = await BotScenario.StartAsync("msteams");
        var card = await s.PostGoalAsync(BotScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST body=\"disk full\"");
        var refresh = card.Card["refresh"]!.AsObject();
        Assert.Equal("refresh", refresh["action"]!["verb"]!.GetValue<string>());
        AdaptiveCardSchema.AssertValid(card.Card);

        var forRequester = await RefreshAsync(s, BotScenario.Alice, refresh, card.ActivityId);
        var forBob = await RefreshAsync(s, BotScenario.Bob, refresh, card.ActivityId);

        Assert.Empty(CardTexts.Actions(forRequester)); // a write: the requester cannot approve it
        Assert.Contains("You can see this plan but not decide on it", CardTexts.Of(forRequester));
        Assert.Equal(["Approve", "Reject"], CardTexts.Actions(forBob).Select(a => a["title"]!.GetValue<string>()));
        AdaptiveCardSchema.AssertValid(forRequester);
        AdaptiveCardSchema.AssertValid(forBob);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions")); // refreshing decides nothing
    }

    [Fact]
    public async Task A_redelivered_message_is_processed_once()
    {
        await using var s = await BotScenario.StartAsync("msteams");
        var goal = s.Activities.Message(BotScenario.Alice, $"check {s.Target.Url("/x")}", id: "1732530000001");

        // Teams re-sends an activity it thinks went unanswered, with the same id.
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await s.Bot.PostActivityAsync((JsonObject)goal.DeepClone())).StatusCode);

        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.Card is not null, what: "the plan card");
        using var db = s.Bot.OpenDatabase();
        await Eventually.TrueAsync(async () => await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE status = 'done'") == 1, "the message to be processed");
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Single(s.Channel.Calls, c => c.IsPost && c.Card is not null);
    }

    private static async Task<JsonObject> RefreshAsync(BotScenario s, JsonObject who, JsonObject refresh, string cardId)
    {
        var invoke = s.Activities.Execute(who, "refresh", refresh["action"]!["data"]!.AsObject(), cardId);
        invoke["value"]!["trigger"] = "automatic";
        var response = await s.Bot.PostActivityAsync(invoke);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        return body["value"]!.AsObject();
    }
}

/// <summary>Teams' streaming protocol in personal chats.</summary>
public sealed class TeamsStreamingTests
{
    [Fact]
    public async Task In_a_personal_chat_the_summary_is_streamed_and_elsewhere_it_is_a_reply()
    {
        await using var s = await BotScenario.StartAsync("msteams", conversationId: "a:1personal");
        s.Target.Respond("/a", new TargetResponse(200, "a"));
        var goal = s.Activities.Message(BotScenario.Alice, $"check {s.Target.Url("/a")}");
        goal["conversation"] = new JsonObject { ["id"] = "a:1personal", ["conversationType"] = "personal" };
        await s.Bot.PostActivityAsync(goal);
        var post = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.Card is not null, what: "the plan card")).Single();
        var card = new PlanCard(post, goal["id"]!.GetValue<string>());
        await s.SubmitAsync(BotScenario.Alice, card, "approve");

        var final = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.CardText.Contains("Run succeeded", StringComparison.Ordinal), what: "the final message")).Single();

        var start = s.Channel.Calls.Single(c => c.Body?["type"]?.GetValue<string>() == "typing" && c.Body?["entities"]?[0]?["streamType"]?.GetValue<string>() == "informative");
        Assert.Equal(1, start.Body!["entities"]![0]!["streamSequence"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(start.Body!["text"]?.GetValue<string>())); // Teams refuses a start without text
        Assert.Equal("final", final.Body!["entities"]![0]!["streamType"]!.GetValue<string>());
        Assert.Equal(start.AssignedId, final.Body!["entities"]![0]!["streamId"]!.GetValue<string>());
        Assert.Null(final.Body!["entities"]![0]!["streamSequence"]); // the final message carries no sequence
        Assert.Null(final.ActivityId); // appended to the chat, not a reply
        AdaptiveCardSchema.AssertValid(final.Card!);
    }
}
