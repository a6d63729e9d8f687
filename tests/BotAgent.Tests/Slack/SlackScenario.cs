using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;

namespace BotAgent.Tests.Slack;

/// <summary>
/// The real bot with Slack configured against a loopback Slack (Web API and Socket Mode), a target
/// service its tools can reach, and helpers that act as Slack and the people in the workspace.
/// </summary>
public sealed class SlackScenario : IAsyncDisposable
{
    public const string SigningSecret = "3c1f7e0d9b8a4f6e2d5c7b9a1e3f5d7c";
    public const string BotToken = "xoxb-1111-2222-SeCrEtBoTtOkEn";
    public const string AppToken = "xapp-1-A0BOTAGENT-3333-SeCrEtApPtOkEn";
    public const string Channel = "C0GENERAL1";
    public const string AliceDm = "D0ALICE001";
    public const string Alice = "U0ALICE001";
    public const string Bob = "U0BOB00002";
    public const string Carol = "U0CAROL003";

    private readonly HttpClient _http = new();

    private SlackScenario(TestSlackServer slack, TargetServer target, BotUnderTest bot, InMemoryLoggerProvider logs)
    {
        Slack = slack;
        Target = target;
        Bot = bot;
        Logs = logs;
    }

    public TestSlackServer Slack { get; }
    public TargetServer Target { get; }
    public BotUnderTest Bot { get; }
    public InMemoryLoggerProvider Logs { get; }
    public SlackRequests Requests { get; } = new(SigningSecret);

    public Uri EventsUri => new(Bot.BaseUri, "api/slack/events");
    public Uri InteractionsUri => new(Bot.BaseUri, "api/slack/interactions");
    public Uri CommandsUri => new(Bot.BaseUri, "api/slack/commands");

    /// <param name="socketMode">Socket Mode only (an app token, no signing secret); otherwise HTTP mode only.</param>
    public static async Task<SlackScenario> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool socketMode = false)
    {
        var slack = await TestSlackServer.StartAsync(BotToken, AppToken);
        slack.AddUser(Alice, "Alice", "alice@example.com");
        slack.AddUser(Bob, "Bob", "bob@example.com");
        slack.AddUser(Carol, "Carol");
        var target = await TargetServer.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Tools:Http:AllowedHosts:0"] = "127.0.0.1",
            ["Slack:BotToken"] = BotToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack:ReconnectBaseDelay"] = "00:00:00.050",
            ["Slack:ReconnectMaxDelay"] = "00:00:00.500",
        };
        if (socketMode)
            all["Slack:AppToken"] = AppToken;
        else
            all["Slack:SigningSecret"] = SigningSecret;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var logs = new InMemoryLoggerProvider();
        var bot = await BotUnderTest.StartAsync(all, builder => logs.AddTo(builder.Logging));
        return new SlackScenario(slack, target, bot, logs);
    }

    public Task<HttpResponseMessage> SendEventAsync(JsonObject body, SlackSigning signing = SlackSigning.Valid, int? retryNum = null) =>
        _http.SendAsync(Requests.EventRequest(EventsUri, body, signing, retryNum));

    public Task<HttpResponseMessage> SendInteractionAsync(JsonObject payload, SlackSigning signing = SlackSigning.Valid) =>
        _http.SendAsync(Requests.InteractionRequest(InteractionsUri, payload, signing));

    public Task<HttpResponseMessage> SendCommandAsync(IReadOnlyList<KeyValuePair<string, string>> form, SlackSigning signing = SlackSigning.Valid) =>
        _http.SendAsync(Requests.CommandRequest(CommandsUri, form, signing));

    /// <summary>Mentions the bot with a goal in the channel and waits for the plan it posts in the goal's thread.</summary>
    public async Task<SlackPlan> PostGoalAsync(string user, string text, string channel = Channel)
    {
        var goal = Requests.Mention(user, channel, text);
        var response = await SendEventAsync(goal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await WaitForPlanAsync(goal);
    }

    public async Task<SlackPlan> WaitForPlanAsync(JsonObject goal)
    {
        var goalTs = goal["event"]!["ts"]!.GetValue<string>();
        var channel = goal["event"]!["channel"]!.GetValue<string>();
        var post = (await Slack.WaitForAsync(
            c => c.Method == "chat.postMessage" && c.Ok && c.Channel == channel && c.ThreadTs == goalTs && c.BlockText.Contains("Plan awaiting approval", StringComparison.Ordinal),
            what: "the plan in the goal's thread")).First();
        return new SlackPlan(post, goalTs);
    }

    /// <summary>Clicks a button on the plan message as it stands now.</summary>
    public async Task ClickAsync(string user, SlackPlan plan, string actionId, SlackSigning signing = SlackSigning.Valid)
    {
        var response = await SendInteractionAsync(Requests.Click(user, Slack.Message(plan.Ts)!, actionId), signing);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Waits until the plan message, as people see it after the bot's updates, says <paramref name="text"/>.</summary>
    public Task<SlackPostedMessage> WaitForPlanTextAsync(SlackPlan plan, string text) =>
        Eventually.GetAsync(() =>
        {
            var current = Slack.Message(plan.Ts);
            return Task.FromResult(current is not null && current.BlockText.Contains(text, StringComparison.Ordinal) ? current : null);
        }, $"the plan message to say '{text}'");

    /// <summary>Replies the bot posted in the thread whose text contains <paramref name="text"/>.</summary>
    public Task<IReadOnlyList<SlackCall>> WaitForReplyAsync(string threadTs, string text, int count = 1) =>
        Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.ThreadTs == threadTs && c.BlockText.Contains(text, StringComparison.Ordinal), count, what: $"a reply saying '{text}'");

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Target.DisposeAsync();
        await Slack.DisposeAsync();
        _http.Dispose();
    }
}

/// <summary>The plan as first posted, and the goal's thread.</summary>
public sealed record SlackPlan(SlackCall Post, string GoalTs)
{
    public string Ts => Post.Ts!;

    public string Text => Post.BlockText;
}
