using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.EndToEnd;

public sealed class BadInputTests
{
    [Theory]
    [InlineData("{\"type\": \"message\", ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_json_gets_400_with_a_clear_message(string body)
    {
        await using var s = await BotScenario.StartAsync();

        var response = await s.Bot.PostRawAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("not a valid activity", problem["detail"]!.GetValue<string>());
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task Activity_missing_required_fields_gets_400_naming_them()
    {
        await using var s = await BotScenario.StartAsync();
        var activity = s.Activities.Message(BotScenario.Alice, "check https://example.com");
        activity.Remove("serviceUrl");
        activity.Remove("conversation");

        var response = await s.Bot.PostActivityAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.Contains("serviceUrl", detail);
        Assert.Contains("conversation.id", detail);
    }

    [Fact]
    public async Task Unknown_activity_type_is_acknowledged_and_ignored()
    {
        await using var s = await BotScenario.StartAsync();
        var activity = s.Activities.Message(BotScenario.Alice, "hello");
        activity["type"] = "somethingNew";

        var response = await s.Bot.PostActivityAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task Disallowed_host_is_refused_by_policy_with_the_reason_in_the_thread_and_nothing_runs()
    {
        await using var s = await BotScenario.StartAsync();
        var goal = s.Activities.Message(BotScenario.Alice, "check http://10.1.2.3/admin");

        await s.Bot.PostActivityAsync(goal);

        var goalId = goal["id"]!.GetValue<string>();
        var notice = (await s.Channel.WaitForAsync(c => c.IsPost && c.ActivityId == goalId, what: "the refusal")).Single();
        Assert.Contains("policy refused it", notice.CardText);
        Assert.Contains("10.1.2.3", notice.CardText);
        Assert.Contains("not allowed", notice.CardText);
        Assert.Empty(CardTexts.Actions(notice.Card!));
        AdaptiveCardSchema.AssertValid(notice.Card!);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("policy_denied", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM step_attempts"));
    }

    [Fact]
    public async Task Host_outside_the_allow_list_is_refused_by_policy()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tools:Http:AllowedHosts:0"] = "status.example.com",
        });
        var goal = s.Activities.Message(BotScenario.Alice, "1. http.get https://evil.example.net/steal");

        await s.Bot.PostActivityAsync(goal);

        var notice = (await s.Channel.WaitForAsync(c => c.IsPost && c.ActivityId == goal["id"]!.GetValue<string>(), what: "the refusal")).Single();
        Assert.Contains("evil.example.net", notice.CardText);
        Assert.Contains("allow-list", notice.CardText);
    }

    [Fact]
    public async Task Goal_for_a_tool_that_does_not_exist_gets_a_clear_no_such_tool_answer()
    {
        await using var s = await BotScenario.StartAsync();
        var goal = s.Activities.Message(BotScenario.Alice, "search logs for timeout");

        await s.Bot.PostActivityAsync(goal);

        var notice = (await s.Channel.WaitForAsync(c => c.IsPost && c.ActivityId == goal["id"]!.GetValue<string>(), what: "the answer")).Single();
        Assert.Contains("there is no tool 'logs.search'", notice.CardText);
    }

    [Fact]
    public async Task Goal_the_offline_planner_cannot_plan_gets_a_reply_listing_what_it_can_do()
    {
        await using var s = await BotScenario.StartAsync();
        var goal = s.Activities.Message(BotScenario.Alice, "make me a sandwich");

        await s.Bot.PostActivityAsync(goal);

        var notice = (await s.Channel.WaitForAsync(c => c.IsPost && c.ActivityId == goal["id"]!.GetValue<string>(), what: "the answer")).Single();
        Assert.Contains("check <url>", notice.CardText);
        Assert.Contains("http.get", notice.CardText);
        AdaptiveCardSchema.AssertValid(notice.Card!);
    }

    [Fact]
    public async Task Duplicate_keys_are_malformed_input_and_get_400()
    {
        await using var s = await BotScenario.StartAsync();
        var body = "{\"type\":\"message\",\"type\":\"invoke\",\"id\":\"x\",\"channelId\":\"emulator\",\"serviceUrl\":\"" + s.Channel.ServiceUrl
            + "\",\"from\":{\"id\":\"u\"},\"conversation\":{\"id\":\"c\"},\"text\":\"hi\"}";

        var response = await s.Bot.PostRawAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_local_mode_request_relayed_by_a_proxy_is_refused()
    {
        await using var s = await BotScenario.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, s.Bot.MessagesUri)
        {
            Content = System.Net.Http.Json.JsonContent.Create(s.Activities.Message(BotScenario.Alice, "hello")),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
