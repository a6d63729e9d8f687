using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotAgent.Benchmarks.Load;

/// <summary>
/// The activities the suite sends, the way the Emulator sends them: one conversation per activity (as when
/// many teams use the bot at once), ids made of a round's tag and a 9-digit index.
/// </summary>
internal sealed class Payloads(string serviceUrl, string targetUrl)
{
    public const string Requester = "{\"id\":\"user-alice\",\"name\":\"Alice\",\"aadObjectId\":\"aad-alice\"}";
    public const string Approver = "{\"id\":\"user-bob\",\"name\":\"Bob\",\"aadObjectId\":\"aad-bob\"}";
    private const string Bot = "{\"id\":\"bot-1\",\"name\":\"BotAgent\"}";

    /// <summary>A chat message with <paramref name="text"/>; a <see cref="RequestTemplate.Placeholder"/> in it becomes the index.</summary>
    public RequestTemplate Message(Uri target, string tag, string text) =>
        RequestTemplate.Post(target, MessageJson(tag + RequestTemplate.Placeholder, ConversationOf(tag + RequestTemplate.Placeholder), text));

    /// <summary>A goal the offline planner turns into a one-step plan: GET the suite's target, tagged with the index.</summary>
    public RequestTemplate Goal(Uri target, string tag) =>
        Message(target, tag, $"check {targetUrl}?g={tag}{RequestTemplate.Placeholder}");

    /// <summary>Bob clicks Approve (Action.Submit, as the Emulator sends it) on the plan card of goal <paramref name="goalId"/>.</summary>
    public string Approve(string clickId, string goalId, string cardActivityId, string cardJson) =>
        Decide(clickId, goalId, cardActivityId, cardJson, "approve");

    /// <summary>Bob clicks the plan card's button whose verb is <paramref name="verb"/> (<c>approve</c>, <c>reject</c>).</summary>
    public string Decide(string clickId, string goalId, string cardActivityId, string cardJson, string verb)
    {
        var activity = JsonNode.Parse(MessageJson(clickId, ConversationOf(goalId), null, Approver))!.AsObject();
        activity["value"] = ButtonData(cardJson, verb);
        activity["replyToId"] = cardActivityId;
        return activity.ToJsonString();
    }

    public static string ConversationOf(string activityId) => "conv-" + activityId;

    private string MessageJson(string id, string conversation, string? text, string from = Requester) =>
        "{\"type\":\"message\",\"id\":\"" + id + "\",\"timestamp\":\"2026-11-25T10:00:00.000Z\",\"channelId\":\"emulator\"," +
        "\"serviceUrl\":\"" + serviceUrl + "\",\"from\":" + from + ",\"recipient\":" + Bot + "," +
        "\"conversation\":{\"id\":\"" + conversation + "\"}" +
        (text is null ? "" : ",\"text\":" + JsonSerializer.Serialize(text, Modes.ReplyJson.Default.String)) + "}";

    /// <summary>The data of the card's button for <paramref name="verb"/> (Action.Submit, or an Action.Execute's submit fallback).</summary>
    private static JsonObject ButtonData(string cardJson, string verb)
    {
        var card = JsonNode.Parse(cardJson)!["attachments"]![0]!["content"]!;
        foreach (var action in card["actions"]!.AsArray())
        {
            var submit = action!["type"]!.GetValue<string>() == "Action.Submit" ? action : action["fallback"];
            if (submit?["data"]?["verb"]?.GetValue<string>() == verb)
                return submit["data"]!.DeepClone().AsObject();
        }
        throw new InvalidOperationException($"The plan card has no '{verb}' button.");
    }
}
