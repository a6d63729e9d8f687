using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;

namespace BotAgent.Tests.EndToEnd;

/// <summary>
/// One conversation with the real bot: a test channel it replies to, a target service its tools can
/// reach, and helpers that act as the people in the conversation.
/// </summary>
public sealed class BotScenario : IAsyncDisposable
{
    public static readonly JsonObject Alice = Activities.User("user-alice", "Alice", "aad-alice");
    public static readonly JsonObject Bob = Activities.User("user-bob", "Bob", "aad-bob");
    public static readonly JsonObject Carol = Activities.User("user-carol", "Carol", "aad-carol");

    private BotScenario(TestChannelServer channel, TargetServer target, BotUnderTest bot, Activities activities)
    {
        Channel = channel;
        Target = target;
        Bot = bot;
        Activities = activities;
    }

    public TestChannelServer Channel { get; }
    public TargetServer Target { get; }
    public BotUnderTest Bot { get; }
    public Activities Activities { get; }

    public static async Task<BotScenario> StartAsync(
        string channelId = "emulator",
        IReadOnlyDictionary<string, string?>? settings = null,
        string conversationId = "conv-1",
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var channel = await TestChannelServer.StartAsync();
        var target = await TargetServer.StartAsync();
        var all = new Dictionary<string, string?> { ["Tools:Http:AllowedHosts:0"] = "127.0.0.1" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var bot = await BotUnderTest.StartAsync(all, configure);
        return new BotScenario(channel, target, bot, new Activities(channel.ServiceUrl, channelId, conversationId));
    }

    /// <summary>Posts a goal and waits for the plan card the bot replies with in the goal's thread.</summary>
    public async Task<PlanCard> PostGoalAsync(JsonObject from, string text)
    {
        var goal = Activities.Message(from, text);
        var response = await Bot.PostActivityAsync(goal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var goalId = goal["id"]!.GetValue<string>();
        var post = (await Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.Card is not null, what: "the plan card")).First();
        return new PlanCard(post, goalId);
    }

    /// <summary>Clicks a button on the card the Action.Submit way (Emulator, Web Chat).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(JsonObject from, PlanCard card, string verb, string? activityId = null)
    {
        var data = card.ButtonData(verb);
        return await Bot.PostActivityAsync(Activities.Submit(from, data, card.ActivityId, activityId));
    }

    /// <summary>Clicks a button the Action.Execute way (Teams): the answer is the invoke response.</summary>
    public async Task<JsonObject> ExecuteAsync(JsonObject from, PlanCard card, string verb, string? activityId = null)
    {
        var action = card.Button(verb);
        Assert.Equal("Action.Execute", action["type"]!.GetValue<string>());
        var response = await Bot.PostActivityAsync(Activities.Execute(from, verb, action["data"]!.AsObject(), card.ActivityId, activityId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Waits until the card, as people see it after the bot's updates, says <paramref name="text"/>.</summary>
    public async Task<JsonObject> WaitForCardAsync(PlanCard card, string text)
    {
        return await Eventually.GetAsync(() =>
        {
            var current = Channel.Activity(card.ActivityId)?["attachments"]?[0]?["content"] as JsonObject;
            return Task.FromResult(current is not null && CardTexts.Of(current).Contains(text, StringComparison.Ordinal) ? current : null);
        }, $"the card to say '{text}'");
    }

    /// <summary>Replies in the goal's thread (step results, summaries, notices) whose card text contains <paramref name="text"/>.</summary>
    public Task<IReadOnlyList<ConnectorCall>> WaitForReplyAsync(PlanCard card, string text, int count = 1) =>
        Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == card.GoalId && c.CardText.Contains(text, StringComparison.Ordinal), count, what: $"a reply saying '{text}'");

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Target.DisposeAsync();
        await Channel.DisposeAsync();
    }
}

/// <summary>The plan card as first posted, and the thread it belongs to.</summary>
public sealed record PlanCard(ConnectorCall Post, string GoalId)
{
    public string ActivityId => Post.AssignedId!;

    public JsonObject Card => Post.Card!;

    public string Text => Post.CardText;

    public JsonObject Button(string verb) => CardTexts.Actions(Card).Single(a =>
        (a["verb"]?.GetValue<string>() ?? a["data"]?["verb"]?.GetValue<string>()) == verb);

    /// <summary>The data an Action.Submit click sends (the fallback's data for an Action.Execute button).</summary>
    public JsonObject ButtonData(string verb)
    {
        var button = Button(verb);
        var submit = button["type"]!.GetValue<string>() == "Action.Submit" ? button : button["fallback"]!.AsObject();
        return submit["data"]!.AsObject();
    }
}
