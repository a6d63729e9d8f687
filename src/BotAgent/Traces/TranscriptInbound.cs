using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Intake;
using BotAgent.Core.Runs;

namespace BotAgent.Traces;

/// <summary>
/// An inbox item as a transcript activity. A Bot Framework payload is already one (the sender is marked as the user, as
/// the Emulator tells sides by <c>from.role</c>); a Slack event, click or slash command becomes a message activity with
/// what the person wrote or clicked, and Slack's own payload in <c>channelData</c>.
/// </summary>
internal static class TranscriptInbound
{
    public static JsonObject Activity(InboundItem item, Run run)
    {
        var payload = Parse(item.Payload);
        if (item.Adapter != "slack" && payload?["type"] is JsonValue && payload["from"] is JsonObject)
            return AsSent(payload, item);
        var (user, name, text, value) = payload is null ? (null, null, "(a payload that is not JSON)", null) : Slack(payload);
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = item.DedupeKey,
            ["timestamp"] = TranscriptExport.Timestamp(item.ReceivedAt),
            ["channelId"] = run.Conversation.ChannelId,
            ["from"] = TranscriptExport.Account(user ?? "unknown", name ?? user ?? "unknown", "user"),
            ["recipient"] = TranscriptExport.Account(run.Conversation.Bot?.Id ?? "botagent", run.Conversation.Bot?.Name ?? "BotAgent", "bot"),
            ["conversation"] = new JsonObject { ["id"] = run.Conversation.ConversationId },
            ["text"] = text,
        };
        if (value is not null)
            activity["value"] = value;
        if (payload is not null)
            activity["channelData"] = payload;
        return activity;
    }

    private static JsonObject AsSent(JsonObject activity, InboundItem item)
    {
        if (activity["from"] is JsonObject from && from["role"] is null)
            from["role"] = "user";
        if (activity["timestamp"] is null)
            activity["timestamp"] = TranscriptExport.Timestamp(item.ReceivedAt);
        return activity;
    }

    /// <summary>Who, and what they wrote or clicked, in each kind of Slack payload the inbox keeps.</summary>
    private static (string? User, string? Name, string Text, JsonObject? Value) Slack(JsonObject payload)
    {
        switch (Str(payload["type"]))
        {
            case "event_callback":
                var e = payload["event"];
                return (Str(e?["user"]), null, Str(e?["text"]) ?? $"({Str(e?["type"]) ?? "an event"})", null);
            case "block_actions":
                var action = payload["actions"]?[0];
                var clicked = Str(action?["action_id"]) ?? "a button";
                return (Str(payload["user"]?["id"]), Str(payload["user"]?["name"]) ?? Str(payload["user"]?["username"]), $"(clicked {clicked})",
                    new JsonObject { ["actionId"] = clicked, ["value"] = Str(action?["value"]) });
            case "slash_command":
                return (Str(payload["user_id"]), Str(payload["user_name"]), $"{Str(payload["command"])} {Str(payload["text"])}".Trim(), null);
            default:
                return (null, null, $"({Str(payload["type"]) ?? "a payload"})", null);
        }
    }

    private static JsonObject? Parse(string payload)
    {
        try
        {
            return JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
