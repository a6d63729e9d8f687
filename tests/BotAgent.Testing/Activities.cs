using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>Builds inbound activities the way the Emulator, the Playground and Teams send them.</summary>
public sealed class Activities(string serviceUrl, string channelId = "emulator", string conversationId = "conv-1")
{
    private int _next;

    public static readonly JsonObject Bot = new() { ["id"] = "bot-1", ["name"] = "BotAgent" };

    public string ConversationId => conversationId;

    public static JsonObject User(string id, string name, string? aadObjectId = null)
    {
        var user = new JsonObject { ["id"] = id, ["name"] = name };
        if (aadObjectId is not null)
            user["aadObjectId"] = aadObjectId;
        return user;
    }

    public JsonObject Message(JsonObject from, string text, string? id = null) => new()
    {
        ["type"] = "message",
        ["id"] = id ?? NextId(),
        ["timestamp"] = "2026-11-25T10:00:00.000Z",
        ["channelId"] = channelId,
        ["serviceUrl"] = serviceUrl,
        ["from"] = from.DeepClone(),
        ["recipient"] = Bot.DeepClone(),
        ["conversation"] = new JsonObject { ["id"] = conversationId },
        ["text"] = text,
    };

    /// <summary>An Action.Submit click: a message with the button's data as <c>value</c>.</summary>
    public JsonObject Submit(JsonObject from, JsonObject data, string cardActivityId, string? id = null)
    {
        var activity = Message(from, "", id);
        activity.Remove("text");
        activity["value"] = data.DeepClone();
        activity["replyToId"] = cardActivityId;
        return activity;
    }

    /// <summary>An Action.Execute click: an <c>adaptiveCard/action</c> invoke.</summary>
    public JsonObject Execute(JsonObject from, string verb, JsonObject data, string cardActivityId, string? id = null) => new()
    {
        ["type"] = "invoke",
        ["name"] = "adaptiveCard/action",
        ["id"] = id ?? NextId(),
        ["channelId"] = channelId,
        ["serviceUrl"] = serviceUrl,
        ["from"] = from.DeepClone(),
        ["recipient"] = Bot.DeepClone(),
        ["conversation"] = new JsonObject { ["id"] = conversationId },
        ["replyToId"] = cardActivityId,
        ["channelData"] = new JsonObject { ["source"] = new JsonObject { ["name"] = "message" } },
        ["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() },
            ["trigger"] = "manual",
        },
    };

    private string NextId() => $"in-{Interlocked.Increment(ref _next)}";
}
