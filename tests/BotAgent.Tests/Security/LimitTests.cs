using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using BotAgent.Tests.Planning;
using Dapper;

namespace BotAgent.Tests.Security;

/// <summary>
/// One person flooding the bot: goals beyond their share per minute, plans piling up for approval in a
/// conversation, the day's model tokens. Over a limit the person gets one polite answer saying when to try again,
/// what was accepted before is still handled, and other people are not slowed.
/// </summary>
public sealed class LimitTests
{
    [Fact]
    public async Task A_person_flooding_goals_gets_their_share_one_polite_answer_and_nobody_else_waits()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["Limits:GoalsPerPersonPerMinute"] = "3" });
        s.Target.Respond("/health", new TargetResponse(200, "ok"));

        for (var i = 0; i < 6; i++)
            await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, $"check {s.Target.Url("/health")}?n={i}"));
        var bob = await s.PostGoalAsync(BotScenario.Bob, $"check {s.Target.Url("/health")}?from=bob");

        Assert.Contains("Plan awaiting approval", bob.Text);
        await s.Channel.WaitForAsync(c => c.IsPost && c.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal), count: 4, what: "Alice's three plans and Bob's");
        var told = await s.Channel.WaitForAsync(c => c.IsPost && c.CardText.Contains("which is as many as I take from one person", StringComparison.Ordinal), what: "the answer to the flood");
        Assert.Contains("Try again after", Assert.Single(told).CardText);
        // Once every goal has been handled and every message sent, there is still only the one answer.
        using var db = s.Bot.OpenDatabase();
        await Eventually.TrueAsync(async () =>
            await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'processing')") == 0
            && await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0, "every goal handled and every message sent");
        Assert.Single(s.Channel.Calls, c => c.CardText.Contains("as many as I take from one person", StringComparison.Ordinal));
        Assert.Equal(3, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs WHERE requester_id = 'user-alice'"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs WHERE requester_id = 'user-bob'"));
    }

    [Fact]
    public async Task People_who_name_themselves_share_one_allowance_so_a_fresh_id_buys_no_more()
    {
        await using var s = await BotScenario.StartAsync("webchat", new Dictionary<string, string?> { ["Limits:GoalsPerPersonPerMinute"] = "3" });
        s.Target.Respond("/health", new TargetResponse(200, "ok"));

        for (var i = 0; i < 6; i++)
            await s.Bot.PostActivityAsync(s.Activities.Message(Activities.User($"made-up-{i}", $"Visitor {i}"), $"check {s.Target.Url("/health")}?n={i}"));

        var told = await s.Channel.WaitForAsync(c => c.IsPost && c.CardText.Contains("by people this channel does not vouch for", StringComparison.Ordinal), what: "the answer to the flood");
        using var db = s.Bot.OpenDatabase();
        await Eventually.TrueAsync(async () =>
            await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'processing')") == 0, "every goal handled");
        Assert.Equal(3, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
    }

    [Fact]
    public async Task Plans_waiting_for_approval_in_a_conversation_are_capped_until_one_is_decided()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["Limits:AwaitingApprovalPerConversation"] = "2" });
        var first = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/a")}");
        await s.PostGoalAsync(BotScenario.Bob, $"check {s.Target.Url("/b")}");

        var third = s.Activities.Message(BotScenario.Carol, $"check {s.Target.Url("/c")}");
        await s.Bot.PostActivityAsync(third);
        await s.Channel.WaitForAsync(c => c.IsPost && c.ActivityId == third["id"]!.GetValue<string>() && c.CardText.Contains("2 plans are already waiting for approval", StringComparison.Ordinal),
            what: "the answer to the third goal");
        // More goals into the full conversation, from anyone: no further answer within the minute.
        for (var i = 0; i < 3; i++)
            await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Carol, $"check {s.Target.Url("/c")}?more={i}"));
        using (var db = s.Bot.OpenDatabase())
            await Eventually.TrueAsync(async () =>
                await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'processing')") == 0
                && await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0, "every goal handled and every message sent");
        Assert.Single(s.Channel.Calls, c => c.IsPost && c.CardText.Contains("plans are already waiting for approval", StringComparison.Ordinal));

        await s.SubmitAsync(BotScenario.Alice, first, "reject");
        await s.WaitForCardAsync(first, "Rejected by Alice");
        var fourth = await s.PostGoalAsync(BotScenario.Carol, $"check {s.Target.Url("/c")}?again=1");
        Assert.Contains("Plan awaiting approval", fourth.Text);
    }

    [Fact]
    public async Task A_person_who_spent_the_days_model_tokens_is_told_when_more_come_and_others_still_plan()
    {
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?> { ["Limits:ModelTokensPerPersonPerDay"] = "1000" });
        s.Model.Responder = r => r.Purpose == ModelPurpose.Plan
            ? ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "Fetch", s.Target.Url("/status"))), promptTokens: 500, completionTokens: 100)
            : null;

        await s.PostGoalAsync(BotScenario.Alice, "first goal");
        await s.PostGoalAsync(BotScenario.Alice, "second goal");
        var third = await s.SendGoalAsync(BotScenario.Alice, "third goal");
        var answer = (await s.Channel.WaitForAsync(c => c.IsPost && c.ActivityId == third, what: "the answer to the third goal")).Single();
        Assert.Contains("has used the 1,000 model tokens a person may use in a day", answer.CardText);
        Assert.Contains("more become available by", answer.CardText);

        var bob = await s.PostGoalAsync(BotScenario.Bob, "bob's goal");
        Assert.Contains("Plan awaiting approval", bob.Text);
        Assert.Equal(3, s.Model.Requests.Count(r => r.Purpose == ModelPurpose.Plan));
    }
}
