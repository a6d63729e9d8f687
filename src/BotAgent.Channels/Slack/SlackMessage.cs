using System.Text.Json.Nodes;

namespace BotAgent.Channels.Slack;

/// <summary>A rendered message: Block Kit blocks and the plain <c>text</c> Slack shows in notifications and where blocks cannot be shown.</summary>
internal sealed record SlackMessage(string Text, JsonArray Blocks)
{
    /// <summary>The message fields of a <c>chat.*</c> request body (a fresh copy each time: a node has one parent).</summary>
    public JsonObject ToRequest() => new()
    {
        ["text"] = Text,
        ["blocks"] = Blocks.DeepClone(),
    };
}
