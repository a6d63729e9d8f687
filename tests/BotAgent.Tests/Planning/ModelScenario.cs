using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;

namespace BotAgent.Tests.Planning;

/// <summary>Which wire path of the Chat Completions API the bot is configured for.</summary>
public enum ModelWire
{
    OpenAI,
    Azure,
}

/// <summary>
/// One conversation with the real bot planning through a language model: the test channel, a target
/// service for the tools, the loopback model server, and every log line the bot writes.
/// </summary>
public sealed class ModelScenario : IAsyncDisposable
{
    /// <summary>A fake key distinctive enough to search for in logs, traces, cards and the outbox.</summary>
    public const string ApiKey = "sk-test-SECRET-123";
    public const string OpenAIModel = "gpt-4o-mini";
    public const string AzureDeployment = "plan-deployment";

    private ModelScenario(TestChannelServer channel, TargetServer target, TestModelServer model, BotUnderTest bot, InMemoryLoggerProvider logs, Activities activities)
    {
        Channel = channel;
        Target = target;
        Model = model;
        Bot = bot;
        Logs = logs;
        Activities = activities;
    }

    public TestChannelServer Channel { get; }
    public TargetServer Target { get; }
    public TestModelServer Model { get; }
    public BotUnderTest Bot { get; }
    public InMemoryLoggerProvider Logs { get; }
    public Activities Activities { get; }

    /// <summary>
    /// The re-planning story: the status page fails, the model revises the plan to open an incident (a write,
    /// so it goes back for approval) and then summarises. Returns the two target URLs.
    /// </summary>
    public (string Status, string Incidents) ScriptIncidentReplan()
    {
        Target.Respond("/status", new TargetResponse(500, "upstream database unreachable"));
        Target.Respond("/incidents", new TargetResponse(201, "{\"id\":42}", "application/json"));
        var status = Target.Url("/status");
        var incidents = Target.Url("/incidents");
        Model.Responder = r => r.Purpose switch
        {
            ModelPurpose.Plan => ModelReply.Completion(ModelPlans.Plan("Check the status page", "The status page answers 2xx or an incident is open.",
                ModelPlans.Get("s1", "Fetch the status page", status))),
            ModelPurpose.Revision => ModelReply.Completion(ModelPlans.Plan("Check the status page", "An incident is open.",
                ModelPlans.Post("s2", "Open an incident", incidents, "status page down"))),
            ModelPurpose.Summary => ModelReply.Completion("The status page failed [s1]; incident 42 was opened [s2]."),
            _ => null,
        };
        return (status, incidents);
    }

    /// <param name="prepare">Scripts the model before the bot starts (the responder, queued replies).</param>
    public static async Task<ModelScenario> StartAsync(
        ModelWire wire = ModelWire.OpenAI, IReadOnlyDictionary<string, string?>? settings = null, Action<TestModelServer>? prepare = null)
    {
        var channel = await TestChannelServer.StartAsync();
        var target = await TargetServer.StartAsync();
        var model = await TestModelServer.StartAsync();
        prepare?.Invoke(model);
        var all = new Dictionary<string, string?> { ["Tools:Http:AllowedHosts:0"] = "127.0.0.1" };
        if (wire == ModelWire.OpenAI)
        {
            all["Planner:Provider"] = "OpenAI";
            all["OpenAI:BaseUrl"] = model.OpenAIBaseUrl;
            all["OpenAI:Model"] = OpenAIModel;
            all["OpenAI:ApiKey"] = ApiKey;
        }
        else
        {
            all["Planner:Provider"] = "AzureOpenAI";
            all["AzureOpenAI:Endpoint"] = model.AzureEndpoint;
            all["AzureOpenAI:Deployment"] = AzureDeployment;
            all["AzureOpenAI:ApiKey"] = ApiKey;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;

        var logs = new InMemoryLoggerProvider();
        var bot = await BotUnderTest.StartAsync(all, builder => logs.AddTo(builder.Logging));
        return new ModelScenario(channel, target, model, bot, logs, new Activities(channel.ServiceUrl, "emulator", "conv-1"));
    }

    /// <summary>Posts a goal and returns its activity id (for goals that get no plan card).</summary>
    public async Task<string> SendGoalAsync(JsonObject from, string text)
    {
        var goal = Activities.Message(from, text);
        var response = await Bot.PostActivityAsync(goal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return goal["id"]!.GetValue<string>();
    }

    /// <summary>Posts a goal and waits for the plan card the bot replies with in the goal's thread.</summary>
    public async Task<PlanCard> PostGoalAsync(JsonObject from, string text)
    {
        var goalId = await SendGoalAsync(from, text);
        var post = (await Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.Card is not null, what: "the plan card")).First();
        return new PlanCard(post, goalId);
    }

    /// <summary>Clicks a button on the card the Action.Submit way (Emulator).</summary>
    public async Task ClickAsync(JsonObject from, PlanCard card, string verb)
    {
        var response = await Bot.PostActivityAsync(Activities.Submit(from, card.ButtonData(verb), card.ActivityId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Waits until the card, as people see it after the bot's updates, says <paramref name="text"/>.</summary>
    public Task<JsonObject> WaitForCardAsync(PlanCard card, string text) =>
        Eventually.GetAsync(() =>
        {
            var current = Channel.Activity(card.ActivityId)?["attachments"]?[0]?["content"] as JsonObject;
            return Task.FromResult(current is not null && CardTexts.Of(current).Contains(text, StringComparison.Ordinal) ? current : null);
        }, $"the card to say '{text}'");

    /// <summary>Posts in the thread of <paramref name="goalId"/> whose text contains <paramref name="text"/>.</summary>
    public Task<IReadOnlyList<ConnectorCall>> WaitForReplyAsync(string goalId, string text, int count = 1, TimeSpan? timeout = null) =>
        Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.CardText.Contains(text, StringComparison.Ordinal),
            count, timeout, what: $"a reply saying '{text}'");

    /// <summary>The plan card of a revised plan version, posted in the thread when the plan changed.</summary>
    public async Task<PlanCard> WaitForPlanCardAsync(string goalId, int version)
    {
        var post = (await WaitForReplyAsync(goalId, $"Plan: v{version} ·")).First();
        return new PlanCard(post, goalId);
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Model.DisposeAsync();
        await Target.DisposeAsync();
        await Channel.DisposeAsync();
    }
}
