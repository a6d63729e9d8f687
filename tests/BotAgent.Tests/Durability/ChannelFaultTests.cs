using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Durability;

/// <summary>The outbox against a channel that throttles, fails and times out.</summary>
public sealed class ChannelFaultTests
{
    private static readonly Dictionary<string, string?> FastConnector = new()
    {
        ["BotFramework:ConnectorTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task Throttled_messages_are_delivered_once_each_and_in_order()
    {
        await using var s = await BotScenario.StartAsync(settings: FastConnector);
        s.Target.Respond("/a", new TargetResponse(200, "a"));
        s.Target.Respond("/b", new TargetResponse(200, "b"));
        // The first attempt of every post in the run is throttled; the channel took none of them.
        for (var i = 0; i < 4; i++)
            s.Channel.FailNext(c => c.IsPost, new ConnectorFault(429, RetryAfter: TimeSpan.FromSeconds(1)));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"1. http.get {s.Target.Url("/a")}\n2. http.get {s.Target.Url("/b")}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
        await s.WaitForReplyAsync(card, "Run succeeded");

        var delivered = s.Channel.Calls.Where(c => c.IsPost && c.Succeeded).Select(c => c.CardText.Split('\n')[0]).ToList();
        Assert.Equal(4, delivered.Count);
        Assert.StartsWith("📋 Plan awaiting approval", delivered[0]);
        Assert.StartsWith("✅ Step 1", delivered[1]);
        Assert.StartsWith("✅ Step 2", delivered[2]);
        Assert.StartsWith("✅ Run succeeded", delivered[3]);
        Assert.True(s.Channel.Calls.Count(c => c.Status == 429) >= 2, "the channel throttled");
    }

    [Fact]
    public async Task A_failed_card_update_is_retried_until_it_lands()
    {
        await using var s = await BotScenario.StartAsync(settings: FastConnector);
        s.Target.Respond("/a", new TargetResponse(200, "a"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/a")}");
        for (var i = 0; i < 3; i++)
            s.Channel.FailNext(c => c.IsUpdate, new ConnectorFault(500));

        await s.SubmitAsync(BotScenario.Bob, card, "approve");

        await s.WaitForCardAsync(card, "Plan succeeded");
        Assert.Equal(3, s.Channel.Calls.Count(c => c.IsUpdate && c.Status == 500));
    }

    [Fact]
    public async Task A_create_that_times_out_is_marked_ambiguous_not_reposted_and_the_card_still_shows_the_result()
    {
        await using var s = await BotScenario.StartAsync(settings: FastConnector);
        s.Target.Respond("/a", new TargetResponse(200, "payload-a"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/a")}");
        // The channel takes the step result but answers too late: the bot cannot know it arrived.
        s.Channel.FailNext(c => c.IsPost && c.CardText.Contains("Step 1", StringComparison.Ordinal),
            new ConnectorFault(201, Delay: TimeSpan.FromSeconds(3), Accept: true));

        await s.SubmitAsync(BotScenario.Bob, card, "approve");

        await s.WaitForReplyAsync(card, "Run succeeded");
        var final = await s.WaitForCardAsync(card, "Plan succeeded");
        Assert.Contains("HTTP 200", CardTexts.Of(final)); // the card carries the step's result
        await Eventually.TrueAsync(() => s.Channel.Calls.Count(c => c.IsPost && c.CardText.Contains("Step 1", StringComparison.Ordinal)) == 1, "the single step post to be recorded");
        using var db = s.Bot.OpenDatabase();
        var statuses = (await db.QueryAsync<string>("SELECT status FROM outbox WHERE message_key LIKE 'step:%'")).ToList();
        Assert.Equal(["ambiguous"], statuses);
        Assert.Single(s.Channel.Calls, c => c.IsPost && c.CardText.Contains("Step 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plan_card_whose_create_may_not_have_arrived_is_sent_again_saying_so_and_either_copy_decides_once()
    {
        // Found by a kill loop: a lost plan card left the person who asked with no answer at all, for ever.
        await using var s = await BotScenario.StartAsync(settings: FastConnector);
        s.Target.Respond("/a", new TargetResponse(200, "payload-a"));
        s.Channel.FailNext(c => c.IsPost && c.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal),
            new ConnectorFault(201, Delay: TimeSpan.FromSeconds(3), Accept: true));

        var first = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/a")}");
        var copies = await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == first.GoalId && c.Card is not null, count: 2, what: "the plan card sent again");
        var second = new PlanCard(copies[1], first.GoalId);
        Assert.DoesNotContain("Sent again", first.Text, StringComparison.Ordinal);
        Assert.Contains("Sent again", second.Text, StringComparison.Ordinal);
        AdaptiveCardSchema.AssertValid(second.Card);

        await s.SubmitAsync(BotScenario.Bob, first, "approve");
        await s.WaitForReplyAsync(first, "Run succeeded");
        await s.SubmitAsync(BotScenario.Carol, second, "approve");

        await s.WaitForCardAsync(second, "Plan succeeded");
        await Eventually.TrueAsync(() => s.Channel.Calls.Any(c => c.IsPost && c.CardText.Contains("already", StringComparison.Ordinal)), "Carol to be told the plan was already decided");
        Assert.Equal(1, s.Target.HitCount("/a"));
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
        Assert.Equal(2, s.Channel.Calls.Count(c => c.IsPost && c.CardText.Contains("Who may approve", StringComparison.Ordinal))); // two copies, not more
    }

    [Fact]
    public async Task A_goals_only_answer_whose_create_may_not_have_arrived_is_sent_again()
    {
        // Found by the PostgreSQL soak (seed 2027): "could not plan" is all the person who asked ever gets; an ambiguous
        // create of it, never sent again, left them with nothing.
        await using var s = await BotScenario.StartAsync(settings: FastConnector);
        s.Channel.FailNext(c => c.IsPost && c.CardText.Contains("could not turn that into a plan", StringComparison.Ordinal),
            new ConnectorFault(201, Delay: TimeSpan.FromSeconds(3), Accept: true));

        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "make me a sandwich"));

        var copies = await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.CardText.Contains("could not turn that into a plan", StringComparison.Ordinal),
            count: 2, what: "the answer sent again");
        Assert.DoesNotContain("Sent again", copies[0].CardText, StringComparison.Ordinal);
        Assert.Contains("Sent again", copies[1].CardText, StringComparison.Ordinal);
        using var db = s.Bot.OpenDatabase();
        await Eventually.TrueAsync(async () => await db.ExecuteScalarAsync<string>("SELECT status FROM outbox WHERE message_key LIKE 'answer:%'") == "sent",
            "the second copy to be recorded delivered");
    }
}
