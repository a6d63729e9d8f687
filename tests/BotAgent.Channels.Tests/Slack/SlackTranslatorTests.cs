using System.Text.Json;
using BotAgent.Channels.Slack;
using BotAgent.Testing;

namespace BotAgent.Channels.Tests.Slack;

public sealed class SlackTranslatorTests
{
    private static readonly SlackRequests Requests = new("secret");

    private static SlackEventEnvelope Envelope(System.Text.Json.Nodes.JsonObject json) =>
        JsonSerializer.Deserialize(json.ToJsonString(), SlackJsonContext.Default.SlackEventEnvelope)!;

    [Fact]
    public void A_mention_in_a_channel_thread_belongs_to_that_thread_and_starts_one_otherwise()
    {
        var top = Envelope(Requests.Mention("U0ALICE001", "C0GENERAL1", "check <https://example.com>"));
        var inThread = Envelope(Requests.Mention("U0ALICE001", "C0GENERAL1", "status", threadTs: "1764064000.000001"));

        var reference = SlackTranslator.ConversationOf(top, SlackTranslator.BotUserId(top, null));
        Assert.Equal(("slack", "slack", "C0GENERAL1", top.Event!.Ts, null), (reference.Adapter, reference.ChannelId, reference.ConversationId, reference.ThreadId, reference.AddressPart("serviceUrl")));
        Assert.Equal(TestSlackServer.TeamId, reference.AddressPart("tenantId"));
        Assert.Equal(TestSlackServer.BotUserId, reference.Bot!.Id);
        Assert.Equal("slack:slack:C0GENERAL1", reference.OrderingKey);
        Assert.Equal(SlackTranslator.OrderingKey("C0GENERAL1"), reference.OrderingKey);
        Assert.Equal("1764064000.000001", SlackTranslator.ConversationOf(inThread, null).ThreadId);
    }

    [Fact]
    public void Mentions_and_direct_messages_are_for_the_bot()
    {
        Assert.Null(SlackTranslator.WhyIgnored(Envelope(Requests.Mention("U0ALICE001", "C0GENERAL1", "hi")), TestSlackServer.BotUserId));
        Assert.Null(SlackTranslator.WhyIgnored(Envelope(Requests.DirectMessage("U0ALICE001", "D0ALICE001", "hi")), TestSlackServer.BotUserId));
    }

    [Theory]
    [InlineData("bot_id", "a message from a bot")]
    [InlineData("bot_message", "a message from a bot")]
    [InlineData("own", "the bot's own message")]
    [InlineData("edited", "a message/message_changed event in a im")]
    [InlineData("channel", "a message event in a channel")]
    [InlineData("no_user", "a message without a user")]
    public void Bots_own_edits_and_plain_channel_messages_are_ignored(string kind, string reason)
    {
        var json = Requests.DirectMessage("U0ALICE001", "D0ALICE001", "hi");
        var e = json["event"]!.AsObject();
        switch (kind)
        {
            case "bot_id": e["bot_id"] = "B0OTHER"; break;
            case "bot_message": e["subtype"] = "bot_message"; break;
            case "own": e["user"] = TestSlackServer.BotUserId; break;
            case "edited": e["subtype"] = "message_changed"; break;
            case "channel": e["channel_type"] = "channel"; break;
            case "no_user": e.Remove("user"); break;
        }

        Assert.Equal(reason, SlackTranslator.WhyIgnored(Envelope(json), SlackTranslator.BotUserId(Envelope(json), null)));
    }

    [Fact]
    public void A_configured_bot_user_id_wins_over_the_payloads()
    {
        var envelope = Envelope(Requests.Mention("U0ALICE001", "C0GENERAL1", "hi"));

        Assert.Equal("U0CONFIGURED", SlackTranslator.BotUserId(envelope, "U0CONFIGURED"));
        Assert.Equal(TestSlackServer.BotUserId, SlackTranslator.BotUserId(envelope, " "));
    }

    [Fact]
    public void The_same_click_has_the_same_key_and_another_click_another()
    {
        var message = new SlackPostedMessage("C0GENERAL1", "1764064800.000001", "1764064700.000001", "Plan", [new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "actions",
            ["elements"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "button", ["action_id"] = "approve", ["value"] = "{}" }),
        }], 1);
        var click = JsonSerializer.Deserialize(Requests.Click("U0BOB00002", message, "approve").ToJsonString(), SlackJsonContext.Default.SlackInteraction)!;
        var again = JsonSerializer.Deserialize(Requests.Click("U0BOB00002", message, "approve").ToJsonString(), SlackJsonContext.Default.SlackInteraction)!;

        Assert.Equal(SlackTranslator.ActionKey(click), SlackTranslator.ActionKey(JsonSerializer.Deserialize(JsonSerializer.Serialize(click, SlackJsonContext.Default.SlackInteraction), SlackJsonContext.Default.SlackInteraction)!));
        Assert.NotEqual(SlackTranslator.ActionKey(click), SlackTranslator.ActionKey(again));
        var reference = SlackTranslator.ConversationOf(click, null)!;
        Assert.Equal(("C0GENERAL1", "1764064700.000001"), (reference.ConversationId, reference.ThreadId));
    }
}
