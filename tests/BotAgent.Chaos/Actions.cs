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
/// The people's side: goals, clicks on the plan cards the channel received, double clicks and redeliveries,
/// each sent to whichever bot process is up at that moment. Everything sent is recorded for the invariants.
/// </summary>
internal sealed class Actions(TestChannelServer channel, TargetServer target) : IDisposable
{
    private static readonly JsonObject[] People =
    [
        Activities.User("user-alice", "Alice", "aad-alice"),
        Activities.User("user-bob", "Bob", "aad-bob"),
        Activities.User("user-carol", "Carol", "aad-carol"),
    ];

    private static readonly string[] TargetPaths = ["/fast", "/slow", "/error", "/fast2"];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentQueue<Sent> _sent = new();
    private readonly ConcurrentDictionary<int, string> _lastActivity = new();
    private readonly ConcurrentDictionary<int, string> _skipped = new();

    public IReadOnlyList<Sent> History => [.. _sent.OrderBy(s => s.Action)];

    public IReadOnlyDictionary<int, string> Skipped => _skipped;

    public static void ScriptTargets(TargetServer target)
    {
        target.Respond("/fast", new TargetResponse(200, "fine"));
        target.Respond("/fast2", new TargetResponse(200, "also fine"));
        target.Respond("/slow", new TargetResponse(200, "slow but fine", Delay: TimeSpan.FromMilliseconds(1500)));
        target.Respond("/error", new TargetResponse(503, "down"));
    }

    public Task RunAsync(ScheduledAction action, Uri messages) => action.Kind switch
    {
        ActionKind.Goal => GoalAsync(action, messages),
        ActionKind.Approve => ClickAsync(action, messages, action.Index),
        ActionKind.DoubleClick => Task.WhenAll(ClickAsync(action, messages, action.Index), ClickAsync(action, messages, action.Index, second: true)),
        ActionKind.Redeliver => RedeliverAsync(action, messages),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private static string ConversationId(int conversation) => $"conv-{conversation}";

    private static string GoalId(int goalAction) => $"goal-{goalAction}";

    private Activities For(int conversation) => new(channel.ServiceUrl, "emulator", ConversationId(conversation));

    private Task GoalAsync(ScheduledAction action, Uri messages)
    {
        var goal = For(action.Conversation).Message(People[action.Person], $"check {target.Url(TargetPaths[action.Target])}", GoalId(action.Index));
        return SendAsync(action, Remember(action.Index, goal), GoalId(action.Index), isGoal: true, messages);
    }

    private Task ClickAsync(ScheduledAction action, Uri messages, int index, bool second = false)
    {
        var goalId = GoalId(action.Goal);
        // Only a card that really reached the channel can be clicked, as in Teams.
        var card = channel.Calls.FirstOrDefault(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.Card is not null
            && c.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal));
        if (card is null)
        {
            _skipped[index] = "no plan card yet";
            return Task.CompletedTask;
        }
        var button = CardTexts.Actions(card.Card!).FirstOrDefault(a => (a["verb"]?.GetValue<string>() ?? a["data"]?["verb"]?.GetValue<string>()) == "approve");
        if (button is null)
        {
            _skipped[index] = "no approve button";
            return Task.CompletedTask;
        }
        var activities = For(action.Conversation);
        var id = $"click-{index}" + (second ? "b" : "");
        var from = People[action.Person];
        var isExecute = button["type"]!.GetValue<string>() == "Action.Execute";
        var click = action.Execute && isExecute
            ? activities.Execute(from, "approve", button["data"]!.AsObject(), card.AssignedId!, id)
            : activities.Submit(from, (isExecute ? button["fallback"]!["data"]! : button["data"]!).AsObject(), card.AssignedId!, id);
        return SendAsync(action, Remember(action.Goal, click), goalId, isGoal: false, messages);
    }

    /// <summary>The same activity again, byte for byte, as a channel retrying after a lost answer would.</summary>
    private Task RedeliverAsync(ScheduledAction action, Uri messages)
    {
        if (!_lastActivity.TryGetValue(action.Goal, out var again))
        {
            _skipped[action.Index] = "nothing sent yet";
            return Task.CompletedTask;
        }
        var isGoal = JsonNode.Parse(again)!["id"]!.GetValue<string>() == GoalId(action.Goal);
        return SendAsync(action, again, GoalId(action.Goal), isGoal, messages);
    }

    // Kept as text: a JsonObject is not safe to read from two sends at once.
    private string Remember(int goalAction, JsonObject activity) => _lastActivity[goalAction] = activity.ToJsonString();

    private async Task SendAsync(ScheduledAction action, string json, string goalId, bool isGoal, Uri messages)
    {
        var activity = JsonNode.Parse(json)!;
        var id = activity["id"]!.GetValue<string>();
        var conversation = activity["conversation"]!["id"]!.GetValue<string>();
        try
        {
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(messages, content);
            _sent.Enqueue(new Sent(action.Index, action.Kind, conversation, id, goalId, isGoal, (int)response.StatusCode, null));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _sent.Enqueue(new Sent(action.Index, action.Kind, conversation, id, goalId, isGoal, 0, e.GetType().Name));
        }
    }

    public void Dispose() => _http.Dispose();
}
