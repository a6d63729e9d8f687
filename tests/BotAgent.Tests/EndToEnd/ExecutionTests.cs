using System.Text.Json.Nodes;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.EndToEnd;

public sealed class ExecutionTests
{
    [Fact]
    public async Task Typed_steps_run_in_order_and_a_timed_out_step_fails_the_run_with_every_attempt_recorded()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Execution:StepTimeout"] = "00:00:00.400",
            ["Execution:MaxAttempts"] = "2",
        });
        s.Target.Respond("/a", new TargetResponse(200, "first"));
        s.Target.Respond("/slow", new TargetResponse(200, "too late", Delay: TimeSpan.FromSeconds(5)));
        s.Target.Respond("/c", new TargetResponse(200, "third"));
        var goal = $"Look at three endpoints\n1. http.get {s.Target.Url("/a")}\n2. http.get {s.Target.Url("/slow")}\n3. http.get {s.Target.Url("/c")}";

        var card = await s.PostGoalAsync(BotScenario.Alice, goal);
        Assert.Contains("Look at three endpoints", card.Text);
        Assert.Contains("3. http.get", card.Text);
        await s.SubmitAsync(BotScenario.Alice, card, "approve"); // read-only: the requester may approve alone

        var summary = (await s.WaitForReplyAsync(card, "Run failed")).Single();
        Assert.Contains("s2", summary.CardText);
        Assert.Contains("Timed out", summary.CardText);
        var final = await s.WaitForCardAsync(card, "Plan failed");
        var text = CardTexts.Of(final);
        Assert.Contains("✅ 1.", text);
        Assert.Contains("⏱️ 2.", text);
        Assert.Contains("⏭️ 3.", text);

        Assert.Equal(1, s.Target.HitCount("/a"));
        Assert.Equal(0, s.Target.HitCount("/c"));
        using var db = s.Bot.OpenDatabase();
        var attempts = (await db.QueryAsync<(string StepId, int Attempt, string State)>(
            "SELECT step_id, attempt, state FROM step_attempts ORDER BY id")).ToList();
        Assert.Equal([("s1", 1, "succeeded"), ("s2", 1, "timed_out"), ("s2", 2, "timed_out")], attempts);
        Assert.Equal("failed", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
    }

    [Fact]
    public async Task A_failing_step_is_retried_when_transient_and_the_run_succeeds()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/flaky", new TargetResponse(503, "busy"), new TargetResponse(200, "fine now"));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/flaky")}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");

        var step = (await s.WaitForReplyAsync(card, "Step 1")).Single();
        Assert.Contains("HTTP 200", step.CardText);
        Assert.Contains("Attempts: 2", step.CardText);
        await s.WaitForReplyAsync(card, "Run succeeded");
        Assert.Equal(2, s.Target.HitCount("/flaky"));
    }

    [Fact]
    public async Task Adding_the_bot_to_a_conversation_posts_a_welcome()
    {
        await using var s = await BotScenario.StartAsync();
        var update = new JsonObject
        {
            ["type"] = "conversationUpdate",
            ["id"] = "cu-1",
            ["channelId"] = "emulator",
            ["serviceUrl"] = s.Channel.ServiceUrl,
            ["recipient"] = Activities.Bot.DeepClone(),
            ["from"] = BotScenario.Alice.DeepClone(),
            ["conversation"] = new JsonObject { ["id"] = s.Activities.ConversationId },
            ["membersAdded"] = new JsonArray(Activities.Bot.DeepClone(), BotScenario.Alice.DeepClone()),
        };

        await s.Bot.PostActivityAsync(update);

        var welcome = (await s.Channel.WaitForAsync(c => c.IsPost && c.CardText.Contains("BotAgent", StringComparison.Ordinal), what: "the welcome")).Single();
        Assert.Contains("check <url>", welcome.CardText);
        Assert.Contains("Commands:", welcome.CardText);
        Assert.Null(welcome.ActivityId); // a new message in the conversation, not a reply
        AdaptiveCardSchema.AssertValid(welcome.Card!);
    }
}
