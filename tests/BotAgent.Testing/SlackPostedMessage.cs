using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>A message as it stands in the test Slack workspace after the bot's updates.</summary>
public sealed record SlackPostedMessage(string Channel, string Ts, string? ThreadTs, string Text, JsonArray Blocks, int Version)
{
    public string BlockText => BlockTexts.Of(Blocks);

    public IReadOnlyList<JsonObject> Buttons => BlockTexts.Buttons(Blocks);

    public JsonObject Button(string actionId) => Buttons.Single(b => b["action_id"]?.GetValue<string>() == actionId);
}
