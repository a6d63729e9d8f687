using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.EndToEnd;

/// <summary><c>help</c>, <c>status</c>, <c>cancel</c> and <c>history</c> in a conversation.</summary>
public sealed class ChatCommandTests
{
    [Fact]
    public async Task Help_lists_what_the_bot_can_do_and_makes_no_run()
    {
        await using var s = await BotScenario.StartAsync("msteams");
        var help = s.Activities.Message(BotScenario.Alice, "help");

        await s.Bot.PostActivityAsync(help);

        var answer = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == help["id"]!.GetValue<string>(), what: "the help")).Single();
        Assert.Contains("check <url>", answer.CardText);
        Assert.Contains("`http.get` (read_only)", answer.CardText);
        Assert.Contains("`http.request` (read_only)", answer.CardText);
        Assert.Contains("Commands:", answer.CardText);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
    }

    [Fact]
    public async Task Status_and_history_list_the_runs_of_this_conversation()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/a", new TargetResponse(200, "a"));
        var done = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/a")}");
        await s.SubmitAsync(BotScenario.Bob, done, "approve");
        await s.WaitForReplyAsync(done, "Run succeeded");
        await s.PostGoalAsync(BotScenario.Bob, $"check {s.Target.Url("/b")}");

        var status = s.Activities.Message(BotScenario.Carol, "status");
        await s.Bot.PostActivityAsync(status);
        var history = s.Activities.Message(BotScenario.Carol, "history");
        await s.Bot.PostActivityAsync(history);

        var statusAnswer = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == status["id"]!.GetValue<string>(), what: "status")).Single();
        Assert.Contains("1 run(s) in progress", statusAnswer.CardText);
        Assert.Contains("/b — awaiting approval", statusAnswer.CardText);
        Assert.DoesNotContain("/a", statusAnswer.CardText);
        var historyAnswer = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == history["id"]!.GetValue<string>(), what: "history")).Single();
        Assert.Contains("/a — succeeded", historyAnswer.CardText);
        Assert.Contains("/b — awaiting approval", historyAnswer.CardText);
    }

    [Fact]
    public async Task Cancel_stops_a_plan_waiting_for_approval_and_its_card_says_so()
    {
        await using var s = await BotScenario.StartAsync();
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/a")}");

        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "cancel"));

        await s.WaitForCardAsync(card, "Plan cancelled");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
        await s.WaitForReplyAsync(card, "Nothing changed");
        Assert.Equal(0, s.Target.HitCount("/a"));
    }

    [Fact]
    public async Task Cancel_stops_a_running_run_before_its_next_step()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/slow", new TargetResponse(200, "slow", Delay: TimeSpan.FromSeconds(30)));
        s.Target.Respond("/next", new TargetResponse(200, "next"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"1. http.get {s.Target.Url("/slow")}\n2. http.get {s.Target.Url("/next")}");
        await s.SubmitAsync(BotScenario.Alice, card, "approve");
        await Eventually.TrueAsync(() => s.Target.HitCount("/slow") == 1, "step 1 to be running");

        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "cancel"));

        var summary = (await s.WaitForReplyAsync(card, "Cancelled by Alice")).Single();
        Assert.Contains("Run cancelled", summary.CardText);
        await s.WaitForCardAsync(card, "Plan cancelled");
        Assert.Equal(0, s.Target.HitCount("/next"));
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("cancelled", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal("cancelled", await db.QuerySingleAsync<string>("SELECT state FROM step_attempts WHERE step_id = 's1'"));
    }

    [Fact]
    public async Task Explain_gives_the_verdict_of_a_succeeded_run_a_policy_refusal_and_an_execution_failure()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/ok", new TargetResponse(200, "fine"));
        s.Target.Respond("/broken", new TargetResponse(404, "gone"));

        var ok = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok")}");
        await s.SubmitAsync(BotScenario.Bob, ok, "approve");
        await s.WaitForReplyAsync(ok, "Run succeeded");
        Assert.Contains("Verdict: succeeded", await ExplainAsync(s));

        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "check http://10.9.9.9/"));
        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.CardText.Contains("policy refused it", StringComparison.Ordinal), what: "the refusal");
        var refusal = await ExplainAsync(s);
        Assert.Contains("Verdict: policy refusal", refusal);
        Assert.Contains("10.9.9.9", refusal);

        var broken = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/broken")}");
        await s.SubmitAsync(BotScenario.Bob, broken, "approve");
        await s.WaitForReplyAsync(broken, "Run failed");
        var failure = await ExplainAsync(s);
        Assert.Contains("Verdict: execution failure", failure);
        Assert.Contains("HTTP 404", failure);
        Assert.Contains("Approved by Bob", failure);
    }

    private static async Task<string> ExplainAsync(BotScenario s)
    {
        var explain = s.Activities.Message(BotScenario.Carol, "explain");
        await s.Bot.PostActivityAsync(explain);
        var answer = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == explain["id"]!.GetValue<string>(), what: "the explanation")).Single();
        AdaptiveCardSchema.AssertValid(answer.Card!);
        return answer.CardText;
    }
}
