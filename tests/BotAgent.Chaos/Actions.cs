using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BotAgent.Testing;

namespace BotAgent.Chaos;

/// <summary>One activity the harness sent and how the bot answered it (Status 0: no answer, the connection failed).</summary>
internal sealed record Sent(int Action, ActionKind Kind, string ConversationId, string ActivityId, string GoalId, bool IsGoal, int Status, string? Note)
{
    public bool Answered2xx => Status is >= 200 and < 300;

    /// <summary>The inbox's dedupe key for this activity (BotFrameworkIntake's format).</summary>
    public string SourceKey => $"emulator:{ConversationId}:{ActivityId}";
}

/// <summary>
/// The people's side: goals (reads and writes), clicks on the cards the channel holds (approve, reject, double,
/// stale, "did this step happen?"), cancels and redeliveries, each sent to a bot process that is up. Everything
/// sent is recorded for the invariants.
/// </summary>
internal sealed class Actions(TestChannelServer channel, string serviceUrl, TargetServer target, Cluster cluster) : IDisposable
{
    public const string WritePath = "/write";

    private static readonly JsonObject[] People =
    [
        Activities.User("user-alice", "Alice", "aad-alice"),
        Activities.User("user-bob", "Bob", "aad-bob"),
        Activities.User("user-carol", "Carol", "aad-carol"),
    ];

    private static readonly string[] ReadPaths = ["/fast", "/slow", "/error", "/fast2"];
    private static readonly string[] Decisions = ["resolve-done", "resolve-retry", "resolve-stop"];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentQueue<Sent> _sent = new();
    private readonly ConcurrentDictionary<int, string> _lastActivity = new();
    private readonly ConcurrentDictionary<int, string> _skipped = new();
    private readonly ConcurrentDictionary<int, string> _retargeted = new();

    public IReadOnlyList<Sent> History => [.. _sent.OrderBy(s => s.Action)];

    public IReadOnlyDictionary<int, string> Skipped => _skipped;

    /// <summary>Actions whose thread was chosen at run time (a Decide), and which it was.</summary>
    public IReadOnlyDictionary<int, string> Retargeted => _retargeted;

    public int WriteArrivals => target.HitCount(WritePath);

    public static void ScriptTargets(TargetServer target)
    {
        target.Respond("/fast", new TargetResponse(200, "fine"));
        target.Respond("/fast2", new TargetResponse(200, "also fine"));
        target.Respond("/slow", new TargetResponse(200, "slow but fine", Delay: TimeSpan.FromMilliseconds(1500)));
        target.Respond("/error", new TargetResponse(503, "down"));
        // Writes take a while, so a stop often lands while one is in flight.
        target.Respond(WritePath, new TargetResponse(201, "written", Delay: TimeSpan.FromMilliseconds(700)));
    }

    public Task RunAsync(ScheduledAction action) => action.Kind switch
    {
        ActionKind.Goal => GoalAsync(action, $"check {target.Url(ReadPaths[action.Target])}"),
        ActionKind.WriteGoal => GoalAsync(action, WriteGoal(action.Index)),
        ActionKind.Approve => ClickAsync(action, "approve", action.Person),
        ActionKind.Reject => ClickAsync(action, "reject", action.Person),
        ActionKind.DoubleClick => Task.WhenAll(
            ClickAsync(action, "approve", action.Person),
            ClickAsync(action, "approve", (action.Person + action.Variant % 2) % People.Length, second: true)),
        ActionKind.StaleClick => ClickAsync(action, action.Variant % 2 == 0 ? "approve" : "reject", action.Person, asFirstPosted: true),
        ActionKind.Decide => ClickAsync(Waiting(action), Decisions[action.Variant % Decisions.Length], action.Person),
        ActionKind.Cancel => SendAsync(action, For(action.Conversation).Message(People[action.Person], "cancel", $"cancel-{action.Index}").ToJsonString(),
            GoalId(action.Goal), isGoal: false),
        ActionKind.Redeliver => RedeliverAsync(action),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    /// <summary>The Idempotency-Key a write goal's POST carries: the target counts arrivals by it.</summary>
    public static string WriteKey(string goalId) => "key-" + goalId;

    private string WriteGoal(int index)
    {
        var args = new JsonObject
        {
            ["url"] = target.Url(WritePath),
            ["method"] = "POST",
            ["headers"] = new JsonObject { ["Idempotency-Key"] = WriteKey(GoalId(index)) },
            ["body"] = new JsonObject { ["goal"] = index },
        };
        return "Record the chaos write\n1. http.request " + args.ToJsonString();
    }

    private static string ConversationId(int conversation) => $"conv-{conversation}";

    public static string GoalId(int goalAction) => $"goal-{goalAction}";

    private Activities For(int conversation) => new(serviceUrl, "emulator", ConversationId(conversation));

    private Task GoalAsync(ScheduledAction action, string text)
    {
        var goal = For(action.Conversation).Message(People[action.Person], text, GoalId(action.Index));
        return SendAsync(action, Remember(action.Index, goal), GoalId(action.Index), isGoal: true);
    }

    /// <summary>
    /// A click on a card in the goal's thread that carries a button with <paramref name="verb"/>: as the channel shows
    /// it now, or (<paramref name="asFirstPosted"/>) as it was first posted. Only a card that reached the channel can be
    /// clicked, as in Teams.
    /// </summary>
    private Task ClickAsync(ScheduledAction action, string verb, int person, bool second = false, bool asFirstPosted = false)
    {
        var goalId = GoalId(action.Goal);
        var cards = channel.Calls.Where(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.AssignedId is not null && c.Card is not null);
        JsonObject? card = null;
        JsonObject? button = null;
        string? cardId = null;
        foreach (var post in cards)
        {
            var shown = asFirstPosted ? post.Card : channel.Activity(post.AssignedId!)?["attachments"]?[0]?["content"] as JsonObject;
            var match = shown is null ? null : CardTexts.Actions(shown).FirstOrDefault(a => VerbOf(a) == verb);
            if (match is not null)
                (card, button, cardId) = (shown, match, post.AssignedId);
        }
        var index = action.Index;
        if (card is null || button is null)
        {
            _skipped[index] = $"no card with '{verb}'";
            return Task.CompletedTask;
        }
        var activities = For(action.Conversation);
        var id = $"click-{index}" + (second ? "b" : "");
        var from = People[person];
        var isExecute = button["type"]!.GetValue<string>() == "Action.Execute";
        var click = action.Variant % 2 == 0 && isExecute
            ? activities.Execute(from, verb, button["data"]!.DeepClone().AsObject(), cardId!, id)
            : activities.Submit(from, (isExecute ? button["fallback"]!["data"]! : button["data"]!).DeepClone().AsObject(), cardId!, id);
        return SendAsync(action, Remember(action.Goal, click), goalId, isGoal: false);
    }

    /// <summary>
    /// A decision card exists only where a write's outcome was unknown, and seldom in the goal the schedule picked (the
    /// soaks clicked none): the click goes to a thread whose card still asks, chosen by the action's variant, so the
    /// decision path is exercised at all. With none waiting, the scheduled goal (and the click is skipped).
    /// </summary>
    private ScheduledAction Waiting(ScheduledAction action)
    {
        var waiting = channel.Calls
            .Where(c => c.IsPost && c.Succeeded && c.AssignedId is not null && c.ActivityId?.StartsWith("goal-", StringComparison.Ordinal) == true
                && c.CardText.Contains("Did this step happen?", StringComparison.Ordinal)
                && channel.Activity(c.AssignedId)?["attachments"]?[0]?["content"] is JsonObject shown
                && CardTexts.Actions(shown).Any(a => VerbOf(a) is { } verb && Decisions.Contains(verb)))
            .Select(c => (Goal: Number(c.ActivityId, "goal-"), Conversation: Number(c.ConversationId, "conv-")))
            .Where(w => w.Goal >= 0 && w.Conversation >= 0)
            .Distinct()
            .OrderBy(w => w.Goal)
            .ToList();
        if (waiting.Count == 0)
            return action;
        // Variant's low digits already pick the verb (of 3) and Execute or Submit (of 2): the thread takes the rest.
        var (goal, conversation) = waiting[action.Variant / 6 % waiting.Count];
        _retargeted[action.Index] = $"clicked the decision card of goal-{goal} in conv-{conversation}";
        return action with { Goal = goal, Conversation = conversation };
    }

    private static int Number(string? id, string prefix) =>
        id is not null && id.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(id.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static string? VerbOf(JsonObject button) => button["verb"]?.GetValue<string>() ?? button["data"]?["verb"]?.GetValue<string>();

    private Task RedeliverAsync(ScheduledAction action)
    {
        if (!_lastActivity.TryGetValue(action.Goal, out var again))
        {
            _skipped[action.Index] = "nothing sent yet";
            return Task.CompletedTask;
        }
        var isGoal = JsonNode.Parse(again)!["id"]!.GetValue<string>() == GoalId(action.Goal);
        return SendAsync(action, again, GoalId(action.Goal), isGoal);
    }

    // Kept as text: a JsonObject is not safe to read from two sends at once.
    private string Remember(int goalAction, JsonObject activity) => _lastActivity[goalAction] = activity.ToJsonString();

    private async Task SendAsync(ScheduledAction action, string json, string goalId, bool isGoal)
    {
        var activity = JsonNode.Parse(json)!;
        var id = activity["id"]!.GetValue<string>();
        var conversation = activity["conversation"]!["id"]!.GetValue<string>();
        var port = 0;
        try
        {
            var bot = await cluster.PickAsync(action.Instance);
            port = bot.BaseUri.Port;
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(bot.MessagesUri, content);
            _sent.Enqueue(new Sent(action.Index, action.Kind, conversation, id, goalId, isGoal, (int)response.StatusCode, null));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _sent.Enqueue(new Sent(action.Index, action.Kind, conversation, id, goalId, isGoal, 0, $"{e.GetType().Name} from :{port}: {e.InnerException?.Message ?? e.Message}"));
        }
    }

    public void Dispose() => _http.Dispose();
}
