using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.Slack;

/// <summary>Goal → Block Kit plan in the thread → click → steps run → message updated, results in the thread; over signed HTTP.</summary>
public sealed class SlackApprovalFlowTests
{
    [Fact]
    public async Task Mention_is_planned_in_the_thread_approve_runs_it_updates_the_message_and_replies_in_the_thread()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "{\"status\":\"healthy\"}", "application/json"));
        var url = s.Target.Url("/health");

        // Slack sends links in angle brackets and the bot's mention first.
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check <{url}>");

        Assert.Contains("📋 Plan awaiting approval", plan.Text);
        Assert.Contains($"*Goal*\ncheck {url}", plan.Text);
        Assert.Contains("*1.* GET " + url, plan.Text);
        Assert.Contains("`http.get`", plan.Text);
        Assert.Contains("read_only", plan.Text);
        Assert.Contains("*Requested by*\nAlice", plan.Text);
        Assert.Contains("*Who may approve*\nAny member of this conversation, including Alice", plan.Text);
        Assert.Contains("*Success criteria*", plan.Text);
        Assert.Equal(SlackScenario.Channel, plan.Post.Channel);
        Assert.StartsWith("Plan for: check " + url, plan.Post.Text);
        Assert.Equal("Bearer " + SlackScenario.BotToken, plan.Post.Authorization);
        var buttons = s.Slack.Message(plan.Ts)!.Buttons;
        Assert.Equal([("approve", "primary"), ("reject", "danger")], buttons.Select(b => (b["action_id"]!.GetValue<string>(), b["style"]!.GetValue<string>())));
        Assert.Equal(0, s.Target.HitCount("/health"));

        await s.ClickAsync(SlackScenario.Bob, plan, "approve");

        var step = (await s.WaitForReplyAsync(plan.GoalTs, "Step 1")).Single();
        Assert.Contains("HTTP 200", step.BlockText);
        Assert.Contains("healthy", step.BlockText);
        var summary = (await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded")).Single();
        Assert.True(step.Sequence < summary.Sequence, "the step result comes before the summary");
        var final = await s.WaitForPlanTextAsync(plan, "Plan succeeded");
        Assert.Contains("Approved by Bob; succeeded", final.BlockText);
        Assert.Contains("✅ *1.* GET " + url, final.BlockText);
        Assert.Empty(final.Buttons);
        Assert.True(final.Version > 1);
        Assert.Contains(s.Slack.Calls, c => c.Method == "chat.update" && c.Body["ts"]!.GetValue<string>() == plan.Ts && c.Channel == SlackScenario.Channel);

        // Every message Slack received kept to Block Kit's rules (the server refuses the rest).
        Assert.All(s.Slack.Calls, c => Assert.True(c.Ok, $"{c.Method} failed: {c.Error}"));
        Assert.Equal(1, s.Target.HitCount("/health"));
        using var db = s.Bot.OpenDatabase();
        var run = await db.QuerySingleAsync<(string Status, string ConversationKey, string ConversationJson)>("SELECT status, conversation_key, conversation_json FROM runs");
        Assert.Equal("succeeded", run.Status);
        Assert.Equal("slack:slack:" + SlackScenario.Channel, run.ConversationKey);
        var conversation = JsonNode.Parse(run.ConversationJson)!;
        Assert.Equal(plan.GoalTs, conversation["threadId"]!.GetValue<string>());
        Assert.Equal(TestSlackServer.TeamId, conversation["tenantId"]!.GetValue<string>());
        Assert.Equal(("Bob", SlackScenario.Bob), await db.QuerySingleAsync<(string, string)>("SELECT approver_name, approver_id FROM approval_decisions"));
    }

    [Fact]
    public async Task Reject_updates_the_message_and_runs_nothing()
    {
        await using var s = await SlackScenario.StartAsync();
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/health")}>");

        await s.ClickAsync(SlackScenario.Bob, plan, "reject");

        var final = await s.WaitForPlanTextAsync(plan, "Plan rejected");
        Assert.Contains("Rejected by Bob", final.BlockText);
        Assert.Empty(final.Buttons);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("rejected", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(0, s.Target.HitCount("/health"));
    }

    [Fact]
    public async Task Direct_message_goal_is_planned_in_its_thread_and_commands_answer_there()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));

        var help = s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.AliceDm, "help");
        Assert.Equal(HttpStatusCode.OK, (await s.SendEventAsync(help)).StatusCode);
        var answer = (await s.WaitForReplyAsync(help["event"]!["ts"]!.GetValue<string>(), "Hi, I'm BotAgent.")).Single();
        Assert.Equal(SlackScenario.AliceDm, answer.Channel);
        Assert.Contains("`check &lt;url&gt;`", answer.BlockText);

        var goal = s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.AliceDm, $"check <{s.Target.Url("/health")}>");
        await s.SendEventAsync(goal);
        var plan = await s.WaitForPlanAsync(goal);
        await s.ClickAsync(SlackScenario.Alice, plan, "approve");
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");

        var status = s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.AliceDm, "history");
        await s.SendEventAsync(status);
        var history = (await s.WaitForReplyAsync(status["event"]!["ts"]!.GetValue<string>(), "run(s) here")).Single();
        Assert.Contains("succeeded", history.BlockText);
    }

    [Fact]
    public async Task A_refused_click_is_answered_only_to_the_clicker_and_changes_nothing()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/tickets", new TargetResponse(201, "created"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST");
        Assert.Contains("write (makes reversible changes)", plan.Text);

        await s.ClickAsync(SlackScenario.Alice, plan, "approve");

        var ephemeral = (await s.Slack.WaitForAsync(c => c.Method == "chat.postEphemeral", what: "the message to the clicker")).Single();
        Assert.True(ephemeral.Ok);
        Assert.Equal((SlackScenario.Channel, SlackScenario.Alice, plan.GoalTs), (ephemeral.Channel, ephemeral.User, ephemeral.ThreadTs));
        Assert.Contains("Alice, you may not approve this plan", ephemeral.BlockText);
        Assert.Contains("someone other than the person who asked for it", ephemeral.BlockText);
        using (var db = s.Bot.OpenDatabase())
            Assert.Equal("awaiting_approval", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.DoesNotContain(s.Slack.Calls, c => c.Method == "chat.postMessage" && c.BlockText.Contains("you may not", StringComparison.Ordinal));

        await s.ClickAsync(SlackScenario.Bob, plan, "approve");
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");
        Assert.Equal(1, s.Target.HitCount("/tickets"));
    }

    [Fact]
    public async Task A_click_Slack_cannot_show_to_the_clicker_goes_to_the_thread_instead()
    {
        await using var s = await SlackScenario.StartAsync();
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"1. http.request url={s.Target.Url("/t")} method=POST");
        s.Slack.FailNext(c => c.Method == "chat.postEphemeral", SlackFault.NotOk("user_not_in_channel"));

        await s.ClickAsync(SlackScenario.Alice, plan, "approve");

        var notice = (await s.WaitForReplyAsync(plan.GoalTs, "you may not approve this plan")).Single();
        Assert.Equal(SlackScenario.Channel, notice.Channel);
    }

    [Fact]
    public async Task A_replayed_click_decides_once_and_a_stale_one_refreshes_the_message_and_says_why()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/health")}>");

        var staleValue = s.Slack.Message(plan.Ts)!.Button("approve")["value"]!.GetValue<string>().Replace("\"planHash\":\"", "\"planHash\":\"0", StringComparison.Ordinal);
        await s.SendInteractionAsync(s.Requests.Click(SlackScenario.Bob, s.Slack.Message(plan.Ts)!, "approve", staleValue));
        var stale = (await s.Slack.WaitForAsync(c => c.Method == "chat.postEphemeral", what: "the stale-click answer")).Single();
        Assert.Contains("older version of the plan", stale.BlockText);
        await s.Slack.WaitForAsync(c => c.Method == "chat.update" && c.Body["ts"]!.GetValue<string>() == plan.Ts, what: "the refreshed plan");

        var click = s.Requests.Click(SlackScenario.Bob, s.Slack.Message(plan.Ts)!, "approve");
        Assert.Equal(HttpStatusCode.OK, (await s.SendInteractionAsync(click)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.SendInteractionAsync(click)).StatusCode);
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");

        Assert.Equal(1, s.Target.HitCount("/health"));
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
        Assert.Equal(2, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE dedupe_key LIKE 'slack:action:%'"));
    }
}
