using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using BotAgent.Tools.Mcp;

namespace BotAgent.Tests.Mcp;

/// <summary>
/// <see cref="BotScenario"/> with the MCP tools composed in (<c>AddMcpTools</c> is a no-op once the host calls it too):
/// the real bot on loopback, a test channel, and helpers that act as the people in the conversation.
/// </summary>
internal sealed class McpScenario : IAsyncDisposable
{
    private McpScenario(TestChannelServer channel, BotUnderTest bot, Activities activities)
    {
        Channel = channel;
        Bot = bot;
        Activities = activities;
    }

    public TestChannelServer Channel { get; }
    public BotUnderTest Bot { get; }
    public Activities Activities { get; }

    public static async Task<McpScenario> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var channel = await TestChannelServer.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Mcp:ReconnectDelay"] = "00:00:00.050",
            ["Mcp:MaxReconnectDelay"] = "00:00:00.500",
            ["Mcp:StartupWait"] = "00:00:30",
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        var bot = await BotUnderTest.StartAsync(all, builder => builder.Services.AddMcpTools(builder.Configuration));
        return new McpScenario(channel, bot, new Activities(channel.ServiceUrl));
    }

    /// <summary>Posts a message and waits for the first thing the bot posts in its thread.</summary>
    public async Task<ConnectorCall> PostAsync(JsonObject from, string text)
    {
        var message = Activities.Message(from, text);
        Assert.Equal(HttpStatusCode.OK, (await Bot.PostActivityAsync(message)).StatusCode);
        var id = message["id"]!.GetValue<string>();
        return (await Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == id, what: $"the answer to '{text}'")).First();
    }

    /// <summary>Posts a goal and waits for the plan card.</summary>
    public async Task<PlanCard> PostGoalAsync(JsonObject from, string text)
    {
        var goal = Activities.Message(from, text);
        Assert.Equal(HttpStatusCode.OK, (await Bot.PostActivityAsync(goal)).StatusCode);
        var goalId = goal["id"]!.GetValue<string>();
        var post = (await Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.Card is not null, what: "the plan card")).First();
        return new PlanCard(post, goalId);
    }

    public Task<HttpResponseMessage> SubmitAsync(JsonObject from, PlanCard card, string verb) =>
        Bot.PostActivityAsync(Activities.Submit(from, card.ButtonData(verb), card.ActivityId));

    public async Task<ConnectorCall> WaitForReplyAsync(PlanCard card, string text) =>
        (await Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == card.GoalId && c.CardText.Contains(text, StringComparison.Ordinal),
            what: $"a reply saying '{text}'")).First();

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Channel.DisposeAsync();
    }
}
