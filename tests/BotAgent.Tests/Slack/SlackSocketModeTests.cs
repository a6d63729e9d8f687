using System.Net;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.Slack;

/// <summary>Socket Mode against a loopback WebSocket: hello, envelopes and their acknowledgements, reconnection.</summary>
public sealed class SlackSocketModeTests
{
    [Fact]
    public async Task Events_and_clicks_over_the_socket_are_acknowledged_and_run_as_over_HTTP()
    {
        await using var s = await SlackScenario.StartAsync(socketMode: true);
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var socket = await s.Slack.WaitForSocketAsync(1);
        var open = Assert.Single(s.Slack.Calls, c => c.Method == "apps.connections.open");
        Assert.Equal("Bearer " + SlackScenario.AppToken, open.Authorization);

        var goal = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, $"check <{s.Target.Url("/health")}>");
        var goalEnvelope = await socket.SendEventAsync(goal);
        await socket.WaitForAckAsync(goalEnvelope);
        var plan = await s.WaitForPlanAsync(goal);

        var click = await socket.SendInteractionAsync(s.Requests.Click(SlackScenario.Bob, s.Slack.Message(plan.Ts)!, "approve"));
        await socket.WaitForAckAsync(click);
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");
        await s.WaitForPlanTextAsync(plan, "Plan succeeded");

        // Acknowledgements carry only the envelope id.
        Assert.All(socket.Received, ack => Assert.Equal(["envelope_id"], ack.Select(p => p.Key)));
        Assert.Equal(1, s.Target.HitCount("/health"));
        // Neither token, nor the connection ticket in the socket's address, is logged.
        Assert.Contains(s.Logs.Lines, l => l.Message.StartsWith("Slack Socket Mode connected to 127.0.0.1", StringComparison.Ordinal));
        Assert.All(s.Logs.Lines, l =>
        {
            Assert.DoesNotContain("SeCrEt", l.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("ticket=", l.ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_redelivered_envelope_is_acknowledged_again_and_yields_one_run()
    {
        await using var s = await SlackScenario.StartAsync(socketMode: true);
        var socket = await s.Slack.WaitForSocketAsync(1);
        var goal = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, $"check <{s.Target.Url("/health")}>");

        await socket.WaitForAckAsync(await socket.SendEventAsync(goal));
        await socket.WaitForAckAsync(await socket.SendEventAsync(goal, retryAttempt: 1));
        var plan = await s.WaitForPlanAsync(goal);
        var status = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, "status");
        await socket.WaitForAckAsync(await socket.SendEventAsync(status));
        await s.WaitForReplyAsync(status["event"]!["ts"]!.GetValue<string>(), "1 run(s) in progress here");

        Assert.Single(s.Slack.Calls, c => c.Method == "chat.postMessage" && c.ThreadTs == plan.GoalTs);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
    }

    [Fact]
    public async Task When_Slack_asks_to_refresh_the_bot_reconnects_at_once_to_a_new_address()
    {
        await using var s = await SlackScenario.StartAsync(socketMode: true);
        var first = await s.Slack.WaitForSocketAsync(1);

        await first.DisconnectAsync("refresh_requested");

        var second = await s.Slack.WaitForSocketAsync(2);
        await first.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, s.Slack.Calls.Count(c => c.Method == "apps.connections.open"));
        var status = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, "status");
        await second.WaitForAckAsync(await second.SendEventAsync(status));
        await s.WaitForReplyAsync(status["event"]!["ts"]!.GetValue<string>(), "Nothing is waiting or running");
        Assert.Contains(s.Logs.Lines, l => l.Message == "Slack Socket Mode asked to disconnect (refresh_requested)");
    }

    [Fact]
    public async Task A_broken_socket_and_failed_connection_requests_are_retried_with_backoff()
    {
        await using var s = await SlackScenario.StartAsync(socketMode: true);
        var first = await s.Slack.WaitForSocketAsync(1);
        s.Slack.FailNext(c => c.Method == "apps.connections.open", new SlackFault(503));
        s.Slack.FailNext(c => c.Method == "apps.connections.open", SlackFault.NotOk("internal_error"));

        first.Abort();

        var next = await s.Slack.WaitForSocketAsync(2);
        var opens = s.Slack.Calls.Where(c => c.Method == "apps.connections.open").ToList();
        Assert.Equal([true, false, false, true], opens.Select(c => c.Ok));
        var status = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, "status");
        await next.WaitForAckAsync(await next.SendEventAsync(status));
        await s.WaitForReplyAsync(status["event"]!["ts"]!.GetValue<string>(), "Nothing is waiting or running");
        var delays = s.Logs.Lines.Where(l => l.Message.StartsWith("Slack Socket Mode reconnects in", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, delays.Count);
    }

    [Fact]
    public async Task A_connection_without_hello_is_dropped_and_opened_again()
    {
        await using var s = await SlackScenario.StartAsync(socketMode: true);
        var first = await s.Slack.WaitForSocketAsync(1);
        s.Slack.SayHello = false;
        await first.DisconnectAsync();
        var silent = await s.Slack.WaitForSocketAsync(2);
        s.Slack.SayHello = true;

        await silent.CloseAsync();

        var third = await s.Slack.WaitForSocketAsync(3);
        var status = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, "status");
        await third.WaitForAckAsync(await third.SendEventAsync(status));
    }

    [Fact]
    public async Task In_Socket_Mode_only_the_HTTP_endpoints_are_not_offered()
    {
        await using var s = await SlackScenario.StartAsync(socketMode: true);

        var response = await s.SendEventAsync(SlackRequests.UrlVerification("challenge"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
