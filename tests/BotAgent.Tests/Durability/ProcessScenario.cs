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
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        var bot = await BotProcess.StartAsync(settings);
        _bots.Add(bot);
        return bot;
    }

    public async Task<HttpResponseMessage> PostAsync(BotProcess bot, JsonObject activity)
    {
        var response = await _http.PostAsJsonAsync(bot.MessagesUri, activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    public async Task<PlanCard> PostGoalAsync(BotProcess bot, JsonObject from, string text)
    {
        var goal = Activities.Message(from, text);
        await PostAsync(bot, goal);
        var goalId = goal["id"]!.GetValue<string>();
        var post = (await Channel.WaitForAsync(c => c.IsPost && c.ActivityId == goalId && c.Card is not null && c.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal), what: "the plan card")).First();
        return new PlanCard(post, goalId);
    }

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
