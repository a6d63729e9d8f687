using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;

namespace BotAgent.Tests.Durability;

/// <summary>
/// The bot as real OS processes that can be killed and restarted against the same store, talking to a
/// test channel and a target service that outlive them.
/// </summary>
public sealed class ProcessScenario : IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private readonly List<BotProcess> _bots = [];
    private readonly string _directory;

    private ProcessScenario(TestChannelServer channel, TargetServer target, string directory, Dictionary<string, string?> settings)
    {
        Channel = channel;
        Target = target;
        _directory = directory;
        Settings = settings;
        Activities = new Activities(channel.ServiceUrl);
    }

    public TestChannelServer Channel { get; }
    public TargetServer Target { get; }
    public Activities Activities { get; }
    public Dictionary<string, string?> Settings { get; }

    public string DatabasePath => Path.Combine(_directory, "botagent.db");

    /// <param name="settings">Overrides; by default a SQLite file in a temporary folder.</param>
    public static async Task<ProcessScenario> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "botagent-process-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:BotAgent"] = $"Data Source={Path.Combine(directory, "botagent.db")}",
            ["Tools:Http:AllowedHosts:0"] = "127.0.0.1",
            ["Outbox:RetryBaseDelay"] = "00:00:00.050",
            ["Execution:RetryBaseDelay"] = "00:00:00.020",
            ["Logging:LogLevel:Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        return new ProcessScenario(await TestChannelServer.StartAsync(), await TargetServer.StartAsync(), directory, all);
    }

    /// <summary>Starts another bot process on the same store (extra settings, e.g. an instance id).</summary>
    public async Task<BotProcess> StartBotAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var bot = LaunchBot(extra);
        await bot.WaitUntilListeningAsync();
        return bot;
    }

    /// <summary>Starts another bot process without waiting for it to listen (see <see cref="BotProcess.Launch"/>).</summary>
    public BotProcess LaunchBot(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        var bot = BotProcess.Launch(settings);
        _bots.Add(bot);
        return bot;
    }

    public async Task<HttpResponseMessage> PostAsync(BotProcess bot, JsonObject activity)
    {
        var response = await SendAsync(bot, activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>Posts an activity and returns whatever the bot answers.</summary>
    public Task<HttpResponseMessage> SendAsync(BotProcess bot, JsonObject activity) =>
        _http.PostAsJsonAsync(bot.MessagesUri, activity);

    public async Task<PlanCard> PostGoalAsync(BotProcess bot, JsonObject from, string text)
    {
        var goal = Activities.Message(from, text);
        await PostAsync(bot, goal);
        return await WaitForPlanCardAsync(goal["id"]!.GetValue<string>());
    }

    public async Task<PlanCard> WaitForPlanCardAsync(string goalId, TimeSpan? timeout = null)
    {
        var post = (await Channel.WaitForAsync(c => IsPlanCard(c, goalId), timeout: timeout, what: "the plan card")).First();
        return new PlanCard(post, goalId);
    }

    /// <summary>The plan cards posted in reply to a goal.</summary>
    public IReadOnlyList<ConnectorCall> PlanCards(string goalId) => [.. Channel.Calls.Where(c => c.Succeeded && IsPlanCard(c, goalId))];

    private static bool IsPlanCard(ConnectorCall call, string goalId) =>
        call.IsPost && call.ActivityId == goalId && call.Card is not null && call.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal);

    public Task ClickAsync(BotProcess bot, JsonObject from, PlanCard card, string verb) =>
        PostAsync(bot, Activities.Submit(from, card.ButtonData(verb), card.ActivityId));

    /// <summary>Posts in the goal's thread whose text contains <paramref name="text"/>.</summary>
    public IReadOnlyList<ConnectorCall> Replies(PlanCard card, string text) =>
        [.. Channel.Calls.Where(c => c.IsPost && c.Succeeded && c.ActivityId == card.GoalId && c.CardText.Contains(text, StringComparison.Ordinal))];

    public Task<IReadOnlyList<ConnectorCall>> WaitForReplyAsync(PlanCard card, string text, TimeSpan? timeout = null) =>
        Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == card.GoalId && c.CardText.Contains(text, StringComparison.Ordinal),
            timeout: timeout ?? TimeSpan.FromSeconds(60), what: $"a reply saying '{text}'");

    public async ValueTask DisposeAsync()
    {
        foreach (var bot in _bots)
            await bot.DisposeAsync();
        await Target.DisposeAsync();
        await Channel.DisposeAsync();
        _http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
