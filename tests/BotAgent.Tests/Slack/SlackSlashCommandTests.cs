using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.Slack;

/// <summary>
/// <c>/botagent</c>: verified like every Slack request, acknowledged within Slack's 3 seconds, processed once through the
/// durable inbox, and answered in the conversation it was typed in.
/// </summary>
public sealed class SlackSlashCommandTests
{
    [Fact]
    public async Task A_signed_goal_command_is_acknowledged_at_once_and_planned_in_the_conversation()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));

        var clock = Stopwatch.StartNew();
        var response = await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Alice, SlackScenario.Channel, $"check <{s.Target.Url("/health")}>"));
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"answered in {clock.Elapsed}");
        var note = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", note["response_type"]!.GetValue<string>());
        Assert.StartsWith("On it", note["text"]!.GetValue<string>(), StringComparison.Ordinal);

        // A command has no message to reply to: the plan starts at the top of the channel, and works as any plan.
        var post = (await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.Channel == SlackScenario.Channel
            && c.BlockText.Contains("Plan awaiting approval", StringComparison.Ordinal), what: "the plan")).Single();
        Assert.Null(post.ThreadTs);
        Assert.Contains("Alice", post.BlockText);
        await s.ClickAsync(SlackScenario.Bob, new SlackPlan(post, post.Ts!), "approve");
        await s.WaitForPlanTextAsync(new SlackPlan(post, post.Ts!), "Plan succeeded");
        Assert.Equal(1, s.Target.HitCount("/health"));
    }

    [Fact]
    public async Task A_command_over_the_socket_is_acknowledged_and_answered_once_even_if_redelivered()
    {
        await using var s = await SlackScenario.StartAsync(socketMode: true);
        var socket = await s.Slack.WaitForSocketAsync(1);
        var form = s.Requests.SlashCommand(SlackScenario.Bob, SlackScenario.Channel, "status");

        await socket.WaitForAckAsync(await socket.SendCommandAsync(form));
        await socket.WaitForAckAsync(await socket.SendCommandAsync(form));
        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.BlockText.Contains("Nothing is waiting or running", StringComparison.Ordinal), what: "the status");
        await socket.WaitForAckAsync(await socket.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Bob, SlackScenario.Channel, "")));
        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.BlockText.Contains("Hi, I'm BotAgent", StringComparison.Ordinal), what: "the help");

        Assert.Single(s.Slack.Calls, c => c.Method == "chat.postMessage" && c.BlockText.Contains("Nothing is waiting or running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_command_alone_answers_with_help()
    {
        await using var s = await SlackScenario.StartAsync();

        await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Alice, SlackScenario.Channel, ""));

        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.Channel == SlackScenario.Channel
            && c.BlockText.Contains("`pending` (what waits for your approval)", StringComparison.Ordinal), what: "the help");
    }

    [Theory]
    [InlineData(SlackSigning.None)]
    [InlineData(SlackSigning.WrongSecret)]
    [InlineData(SlackSigning.Stale)]
    [InlineData(SlackSigning.Future)]
    [InlineData(SlackSigning.Tampered)]
    public async Task Unsigned_wrongly_signed_old_and_tampered_commands_get_401_and_nothing_is_processed(SlackSigning forged)
    {
        await using var s = await SlackScenario.StartAsync();

        var response = await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Alice, SlackScenario.Channel, "check https://example.com/health"), forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("On it", await response.Content.ReadAsStringAsync());
        // A genuine command after it is answered; the forged one left nothing behind.
        await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Bob, SlackScenario.Channel, "status"));
        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.BlockText.Contains("Nothing is waiting or running", StringComparison.Ordinal), what: "the status");
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Single(s.Slack.Calls, c => c.Method == "chat.postMessage");
        Assert.Contains(s.Logs.Lines, l => l.Message.StartsWith("Refused an unverified request to /api/slack/commands", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replayed_command_is_processed_once()
    {
        await using var s = await SlackScenario.StartAsync();
        var form = s.Requests.SlashCommand(SlackScenario.Alice, SlackScenario.Channel, $"check <{s.Target.Url("/health")}>");
        using var first = s.Requests.CommandRequest(s.CommandsUri, form);
        var body = await first.Content!.ReadAsByteArrayAsync();
        using var http = new HttpClient();

        var original = await http.SendAsync(first);
        // The same bytes with the same signature and timestamp, within the five minutes: a replay.
        using var again = new HttpRequestMessage(HttpMethod.Post, s.CommandsUri) { Content = new ByteArrayContent(body) };
        again.Content.Headers.ContentType = first.Content.Headers.ContentType;
        again.Headers.Add("X-Slack-Request-Timestamp", first.Headers.GetValues("X-Slack-Request-Timestamp"));
        again.Headers.Add("X-Slack-Signature", first.Headers.GetValues("X-Slack-Signature"));
        var replay = await http.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("already have this command", await replay.Content.ReadAsStringAsync());
        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.BlockText.Contains("Plan awaiting approval", StringComparison.Ordinal), what: "the plan");
        await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Alice, SlackScenario.Channel, "status"));
        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.BlockText.Contains("in progress here", StringComparison.Ordinal), what: "the status");
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
    }

    [Fact]
    public async Task A_command_without_a_user_or_trigger_is_a_400_and_is_not_stored()
    {
        await using var s = await SlackScenario.StartAsync();
        var form = s.Requests.SlashCommand(SlackScenario.Alice, SlackScenario.Channel, "status").Where(f => f.Key != "trigger_id").ToList();

        var response = await s.SendCommandAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("trigger_id", await response.Content.ReadAsStringAsync());
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task A_command_from_a_workspace_not_served_is_acknowledged_and_dropped()
    {
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?> { ["Slack:AllowedTeams:0"] = "T0OTHERTEAM" });

        var response = await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Alice, SlackScenario.Channel, "pending"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not one this bot serves", await response.Content.ReadAsStringAsync());
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task Slack_welcomes_once_where_the_bot_is_added_and_in_its_messages_tab_and_not_when_someone_else_joins()
    {
        await using var s = await SlackScenario.StartAsync();

        await s.SendEventAsync(s.Requests.BotJoined(SlackScenario.Channel));
        await s.SendEventAsync(s.Requests.BotJoined(SlackScenario.Channel));
        var someoneElse = s.Requests.BotJoined("C0OTHER001");
        someoneElse["event"]!["user"] = SlackScenario.Carol;
        await s.SendEventAsync(someoneElse);
        await s.SendEventAsync(s.Requests.HomeOpened(SlackScenario.Alice, SlackScenario.AliceDm, tab: "home"));
        await s.SendEventAsync(s.Requests.HomeOpened(SlackScenario.Alice, SlackScenario.AliceDm));
        await s.SendEventAsync(s.Requests.HomeOpened(SlackScenario.Alice, SlackScenario.AliceDm));

        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.Channel == SlackScenario.AliceDm && c.BlockText.Contains("Hi, I'm BotAgent", StringComparison.Ordinal), what: "the welcome in the DM");
        // Everything before a command in the DM and the channel is handled before it.
        await s.SendEventAsync(s.Requests.DirectMessage(SlackScenario.Alice, SlackScenario.AliceDm, "status"));
        await s.SendEventAsync(s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, "status"));
        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.BlockText.Contains("Nothing is waiting or running", StringComparison.Ordinal), 2, what: "both statuses");
        var welcomes = s.Slack.Calls.Where(c => c.Method == "chat.postMessage" && c.BlockText.Contains("Hi, I'm BotAgent", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, welcomes.Count);
        Assert.Single(welcomes, c => c.Channel == SlackScenario.Channel && c.ThreadTs is null);
        Assert.Single(welcomes, c => c.Channel == SlackScenario.AliceDm);
    }
}
