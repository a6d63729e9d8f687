using System.Diagnostics;
using System.Net;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.Slack;

/// <summary>Slack's retries, other bots, the Web API's faults and limits, and secrets in logs.</summary>
public sealed class SlackDeliveryTests
{
    [Fact]
    public async Task A_retried_event_is_answered_fast_every_time_and_yields_one_run()
    {
        await using var s = await SlackScenario.StartAsync();
        var goal = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, $"check <{s.Target.Url("/health")}>");

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await s.SendEventAsync(goal)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.SendEventAsync(goal, retryNum: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.SendEventAsync(goal, retryNum: 2)).StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"three deliveries took {clock.Elapsed}");
        var plan = await s.WaitForPlanAsync(goal);

        // Items of one channel are handled in order: once a later message is answered, no retry is still pending.
        var status = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, "status");
        await s.SendEventAsync(status);
        await s.WaitForReplyAsync(status["event"]!["ts"]!.GetValue<string>(), "1 run(s) in progress here");
        Assert.Single(s.Slack.Calls, c => c.Method == "chat.postMessage" && c.ThreadTs == plan.GoalTs);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE dedupe_key = @Key", new { Key = "slack:event:" + goal["event_id"]!.GetValue<string>() }));
        Assert.Contains(s.Logs.Lines, l => l.Message.Contains("Slack redelivered event", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bots_own_and_other_bots_messages_edits_and_channel_chatter_are_ignored()
    {
        await using var s = await SlackScenario.StartAsync();
        var url = s.Target.Url("/health");
        var fromBot = s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.AliceDm, $"check <{url}>");
        fromBot["event"]!["bot_id"] = "B0OTHERBOT";
        var botMessage = s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.AliceDm, $"check <{url}>");
        botMessage["event"]!["subtype"] = "bot_message";
        var own = s.Requests.DirectMessage(TestSlackServer.BotUserId, SlackScenario.AliceDm, $"check <{url}>");
        var edit = s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.AliceDm, $"check <{url}>");
        edit["event"]!["subtype"] = "message_changed";
        var chatter = s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.Channel, $"check <{url}>");
        chatter["event"]!["channel_type"] = "channel";

        foreach (var ignored in new[] { fromBot, botMessage, own, edit, chatter })
            Assert.Equal(HttpStatusCode.OK, (await s.SendEventAsync(ignored)).StatusCode);
        var status = s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.AliceDm, "status");
        await s.SendEventAsync(status);
        await s.WaitForReplyAsync(status["event"]!["ts"]!.GetValue<string>(), "Nothing is waiting or running");

        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
        Assert.Single(s.Slack.Calls, c => c.Method == "chat.postMessage");
    }

    [Fact]
    public async Task A_rate_limited_post_waits_for_Retry_After_and_is_posted_once()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Slack.FailNext(c => c.Method == "chat.postMessage", SlackFault.RateLimited(TimeSpan.FromSeconds(1)));
        var goal = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, $"check <{s.Target.Url("/health")}>");

        await s.SendEventAsync(goal);
        var plan = await s.WaitForPlanAsync(goal);

        var posts = s.Slack.Calls.Where(c => c.Method == "chat.postMessage").ToList();
        Assert.Equal([429, 200], posts.Select(c => c.Status));
        Assert.True(plan.Post.Sequence > posts[0].Sequence);
        using var db = s.Bot.OpenDatabase();
        // Slack has the post before the bot has recorded Slack's answer: wait for the record, not for time.
        await Eventually.TrueAsync(async () => await db.QuerySingleAsync<string>("SELECT status FROM outbox WHERE kind = 'post'") == "sent", "the post to be recorded sent");
        var retried = await db.QuerySingleAsync<(int Attempts, string Status)>("SELECT attempts, status FROM outbox WHERE kind = 'post'");
        Assert.Equal(("sent", 2), (retried.Status, retried.Attempts));
    }

    [Fact]
    public async Task Slack_errors_are_surfaced_by_name_and_a_failed_update_is_retried()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/health")}>");
        s.Slack.FailNext(c => c.Method == "chat.update", new SlackFault(503));
        s.Slack.FailNext(c => c.Method == "chat.postMessage" && c.BlockText.Contains("Step 1", StringComparison.Ordinal), SlackFault.NotOk("channel_not_found"));

        await s.ClickAsync(SlackScenario.Bob, plan, "approve");

        await s.WaitForPlanTextAsync(plan, "Plan succeeded");
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");
        Assert.Contains(s.Slack.Calls, c => c.Method == "chat.update" && c.Status == 503);
        using var db = s.Bot.OpenDatabase();
        var error = await Eventually.GetAsync(
            () => db.QuerySingleOrDefaultAsync<string?>("SELECT error FROM outbox WHERE status = 'failed'"),
            "the failed step result in the outbox");
        Assert.Equal("Slack chat.postMessage failed: channel_not_found", error);
        Assert.Contains(s.Logs.Lines, l => l.Message.Contains("channel_not_found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plan_card_post_that_timed_out_is_sent_again_once_saying_so()
    {
        // Slack took the first copy but answered too late: the bot cannot know, and a plan card must be seen, so it is
        // sent again (once), saying an earlier copy may have arrived. Other posts that time out stay ambiguous.
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?> { ["Slack:ApiTimeout"] = "00:00:01" });
        s.Slack.FailNext(c => c.Method == "chat.postMessage", new SlackFault(200, Delay: TimeSpan.FromSeconds(3), Accept: true));
        var goal = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, $"check <{s.Target.Url("/health")}>");

        await s.SendEventAsync(goal);

        using var db = s.Bot.OpenDatabase();
        var status = await Eventually.GetAsync(
            () => db.QuerySingleOrDefaultAsync<string?>("SELECT status FROM outbox WHERE kind = 'post' AND status <> 'pending' AND status <> 'sending'"),
            "the post to be settled");
        Assert.Equal("sent", status);
        var posts = await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage", count: 2, what: "both copies to be recorded");
        Assert.Equal(2, s.Slack.Calls.Count(c => c.Method == "chat.postMessage"));
        Assert.DoesNotContain("Sent again", posts[0].BlockText, StringComparison.Ordinal);
        Assert.Contains("Sent again", posts[1].BlockText, StringComparison.Ordinal);
        Assert.Equal(1, await db.QuerySingleAsync<int>("SELECT may_have_arrived FROM outbox WHERE kind = 'post'"));
    }

    [Fact]
    public async Task The_bot_token_and_signing_secret_appear_in_no_log_line()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        s.Slack.FailNext(c => c.Method == "chat.postMessage", SlackFault.RateLimited(TimeSpan.FromSeconds(1)));
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/health")}>");
        await s.SendEventAsync(s.Requests.Mention(SlackScenario.Bob, SlackScenario.Channel, "status"), SlackSigning.WrongSecret);
        await s.ClickAsync(SlackScenario.Bob, plan, "approve");
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");

        var lines = s.Logs.Lines;
        Assert.Contains(lines, l => l.Category.StartsWith("System.Net.Http.HttpClient.Slack.WebApi", StringComparison.Ordinal));
        foreach (var line in lines)
        {
            var text = line.ToString();
            Assert.DoesNotContain(SlackScenario.BotToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("SeCrEtBoTtOkEn", text, StringComparison.Ordinal);
            Assert.DoesNotContain(SlackScenario.SigningSecret, text, StringComparison.Ordinal);
        }
    }
}
