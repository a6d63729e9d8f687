using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.Slack;

/// <summary>Only Slack's signed, recent requests get in; everything else is refused before anything changes.</summary>
public sealed class SlackRequestVerificationTests
{
    [Theory]
    [InlineData(SlackSigning.None)]
    [InlineData(SlackSigning.WrongSecret)]
    [InlineData(SlackSigning.Stale)]
    [InlineData(SlackSigning.Future)]
    [InlineData(SlackSigning.Tampered)]
    public async Task Unsigned_wrongly_signed_stale_and_tampered_requests_get_401_and_change_nothing(SlackSigning forged)
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        // A real plan to click on, made before the forged requests arrive.
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/health")}>");
        var callsBefore = s.Slack.Calls.Count;
        int InboxRows()
        {
            using var db = s.Bot.OpenDatabase();
            return db.ExecuteScalar<int>("SELECT COUNT(*) FROM inbox");
        }
        var inboxBefore = InboxRows();

        var goal = await s.SendEventAsync(s.Requests.Mention(SlackScenario.Bob, SlackScenario.Channel, $"check <{s.Target.Url("/health")}>"), forged);
        var click = await s.SendInteractionAsync(s.Requests.Click(SlackScenario.Bob, s.Slack.Message(plan.Ts)!, "approve"), forged);
        var challenge = await s.SendEventAsync(SlackRequests.UrlVerification("forged-challenge"), forged);

        Assert.Equal(HttpStatusCode.Unauthorized, goal.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, click.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.DoesNotContain("forged-challenge", await challenge.Content.ReadAsStringAsync());
        Assert.Equal(inboxBefore, InboxRows());

        // A genuine request after them is processed, and the forged ones left no trace.
        var status = s.Requests.Mention(SlackScenario.Alice, SlackScenario.Channel, "status");
        await s.SendEventAsync(status);
        await s.WaitForReplyAsync(status["event"]!["ts"]!.GetValue<string>(), "run(s) in progress here");
        using var after = s.Bot.OpenDatabase();
        Assert.Equal(1, await after.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Equal("awaiting_approval", await after.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(0, await after.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
        Assert.Equal(callsBefore + 1, s.Slack.Calls.Count);
        Assert.Equal(0, s.Target.HitCount("/health"));
        Assert.Contains(s.Logs.Lines, l => l.Message.StartsWith("Refused an unverified request to /api/slack/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Url_verification_answers_the_challenge()
    {
        await using var s = await SlackScenario.StartAsync();

        var response = await s.SendEventAsync(SlackRequests.UrlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", body["challenge"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_signed_but_malformed_body_gets_400()
    {
        await using var s = await SlackScenario.StartAsync();
        var body = Encoding.UTF8.GetBytes("{not json");
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, s.EventsUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackRequests.Sign(SlackScenario.SigningSecret, timestamp, body));
        using var http = new HttpClient();

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Without_Slack_settings_the_Slack_endpoints_do_not_exist()
    {
        await using var bot = await BotUnderTest.StartAsync();
        using var http = new HttpClient();

        var response = await http.PostAsync(new Uri(bot.BaseUri, "api/slack/events"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
