using System.Text.Json.Nodes;

namespace BotAgent.Channels.BotFramework;

/// <summary>Bodies for answers to <c>adaptiveCard/action</c> invokes (Universal Actions).</summary>
public static class InvokeResponses
{
    public static InvokeResponseBody Card(JsonObject card) =>
        new() { StatusCode = 200, Type = ActivityTypes.AdaptiveCardContentType, Value = card };

    public static InvokeResponseBody Message(string text) =>
        new() { StatusCode = 200, Type = "application/vnd.microsoft.activity.message", Value = JsonValue.Create(text) };

    public static InvokeResponseBody Error(int statusCode, string code, string message) =>
        new() { StatusCode = statusCode, Type = "application/vnd.microsoft.error", Value = new JsonObject { ["code"] = code, ["message"] = message } };
}
