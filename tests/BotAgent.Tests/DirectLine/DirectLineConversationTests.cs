using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Channels.DirectLine;
using Dapper;
using Microsoft.Extensions.Options;

namespace BotAgent.Tests.DirectLine;

/// <summary>
/// The bot's own Direct Line endpoint end to end, spoken raw over loopback: a goal goes through the inbox, the plan card
/// and what follows come back through the outbox into the conversation's log, read with watermarks or a WebSocket.
/// </summary>
public sealed class DirectLineConversationTests
{
    internal const string Secret = "test-direct-line-secret-0123456789abcdef";

    internal static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["DirectLine:Secret"] = Secret, ["Tools:Http:AllowedHosts:0"] = "127.0.0.1" };
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task A_goal_is_planned_approved_by_a_card_click_and_reported_into_the_log_read_by_watermark()
    {
        await using var target = await TargetServer.StartAsync();
        target.Respond("/health", new TargetResponse(200, "healthy"));
        await using var bot = await BotUnderTest.StartAsync(Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var alice = await client.StartAsync(Secret, "alice", "Alice");

        await client.PostMessageAsync(alice.ConversationId, alice.Token, "alice", $"check {target.Url("/health")}");
        var card = await client.WaitForAsync(alice.ConversationId, alice.Token, a => DirectLineClient.CardText(a).Contains("Plan awaiting approval"), "the plan card");
        Assert.Equal("bot", card["from"]!["role"]!.GetValue<string>());
        var approve = ButtonData(card, "approve");
        await client.PostMessageAsync(alice.ConversationId, alice.Token, "alice", value: approve);

        var seen = new List<JsonObject>();
        await client.WaitForAsync(alice.ConversationId, alice.Token, a => DirectLineClient.CardText(a).Contains("Run succeeded"), "the summary", seen);
        Assert.Equal(1, target.HitCount("/health"));
        Assert.Contains(seen, a => DirectLineClient.CardText(a).Contains("HTTP 200") && DirectLineClient.CardText(a).Contains("Step 1"));
        // The card's new state is a new activity with the card's id, marked as an update: Web Chat replaces it in place.
        var cardId = card["id"]!.GetValue<string>();
        await client.WaitForAsync(alice.ConversationId, alice.Token,
            a => a["id"]!.GetValue<string>() == cardId && a["channelData"]?["botagent.updates"] is not null && DirectLineClient.CardText(a).Contains("Approved by Alice"),
            "the card's update", seen);
        var updates = seen.Where(a => a["id"]!.GetValue<string>() == cardId && a["channelData"]?["botagent.updates"] is not null).ToList();
        Assert.All(updates, u => Assert.Equal(card["channelData"]!["webchat:sequence-id"]!.GetValue<long>(), u["channelData"]!["webchat:sequence-id"]!.GetValue<long>()));

        // A watermark from the end reads nothing again; from the start, everything, in order.
        var (all, last) = await client.GetAsync(alice.ConversationId, alice.Token, null);
        var (none, same) = await client.GetAsync(alice.ConversationId, alice.Token, last);
        Assert.Empty(none);
        Assert.Equal(last, same);
        var order = all.Select(a => a!["channelData"]!["webchat:sequence-id"]!.GetValue<long>()).ToList();
        Assert.Equal(order.Distinct().Count(), all.Count(a => a!["channelData"]?["botagent.updates"] is null));
    }

    [Fact]
    public async Task The_stream_sends_what_came_after_its_watermark_and_then_each_new_activity()
    {
        await using var bot = await BotUnderTest.StartAsync(Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(Secret, "alice", "Alice");
        await client.WaitForAsync(start.ConversationId, start.Token, a => DirectLineClient.CardText(a).Contains("BotAgent"), "the welcome");

        using var socket = await DirectLineClient.OpenStreamAsync(start.StreamUrl);
        var first = await DirectLineClient.ReceiveAsync(socket, TimeSpan.FromSeconds(20));
        Assert.Contains("BotAgent", first["activities"]![0]!.ToJsonString());
        await client.PostMessageAsync(start.ConversationId, start.Token, null, "help");
        var frames = new List<JsonObject>();
        await Eventually.TrueAsync(async () =>
        {
            frames.Add(await DirectLineClient.ReceiveAsync(socket, TimeSpan.FromSeconds(20)));
            return frames.SelectMany(f => f["activities"]!.AsArray()).Any(a => a!["from"]!["role"]!.GetValue<string>() == "bot" && a["replyToId"] is not null);
        }, "the answer to help on the stream");
        var echoed = frames.SelectMany(f => f["activities"]!.AsArray()).First()!;
        Assert.Equal("help", echoed["text"]!.GetValue<string>());
        Assert.Equal("alice", echoed["from"]!["id"]!.GetValue<string>());
        Assert.True(long.Parse(frames[^1]["watermark"]!.GetValue<string>()) > long.Parse(first["watermark"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_message_posted_twice_with_the_same_client_activity_id_is_answered_once()
    {
        await using var bot = await BotUnderTest.StartAsync(Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(Secret, "alice", "Alice");

        await client.PostMessageAsync(start.ConversationId, start.Token, "alice", "help", clientActivityId: "c-1");
        await client.PostMessageAsync(start.ConversationId, start.Token, "alice", "help", clientActivityId: "c-1");
        await client.PostMessageAsync(start.ConversationId, start.Token, "alice", "status", clientActivityId: "c-2");

        var seen = new List<JsonObject>();
        await client.WaitForAsync(start.ConversationId, start.Token, a => a["from"]!["role"]!.GetValue<string>() == "bot" && DirectLineClient.CardText(a).Contains("run", StringComparison.OrdinalIgnoreCase) && a["replyToId"] is not null && !DirectLineClient.CardText(a).Contains("Commands:"), "the answer to status", seen);
        Assert.Single(seen, a => a["text"]?.GetValue<string>() == "help");
        using var db = bot.OpenDatabase();
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbox WHERE adapter = 'directline' AND payload LIKE '%\"message\"%'"));

        // Another person's message with the same client id is theirs, not a copy.
        var bob = TokenFor(start.ConversationId, "bob", "Bob");
        await client.PostMessageAsync(start.ConversationId, bob, null, "help", clientActivityId: "c-1");
        Assert.Equal(3, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbox WHERE adapter = 'directline' AND payload LIKE '%\"message\"%'"));
    }

    [Fact]
    public async Task The_requester_of_a_write_plan_sees_no_buttons_and_another_person_in_the_conversation_approves_it()
    {
        await using var target = await TargetServer.StartAsync();
        target.Respond("/t", new TargetResponse(201, "created"));
        await using var bot = await BotUnderTest.StartAsync(Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var alice = await client.StartAsync(Secret, "alice", "Alice");
        var bob = TokenFor(alice.ConversationId, "bob", "Bob");

        await client.PostMessageAsync(alice.ConversationId, alice.Token, null, $"1. http.request url={target.Url("/t")} method=POST");
        var asAlice = await client.WaitForAsync(alice.ConversationId, alice.Token, a => DirectLineClient.CardText(a).Contains("Plan awaiting approval"), "Alice's view of the card");
        var asBob = await client.WaitForAsync(alice.ConversationId, bob, a => DirectLineClient.CardText(a).Contains("Plan awaiting approval"), "Bob's view of the card");
        Assert.Null(asAlice["attachments"]![0]!["content"]!["actions"]?.AsArray().FirstOrDefault(a => a!["title"]?.GetValue<string>() == "Approve"));
        Assert.Contains("You can see this plan but not decide on it", DirectLineClient.CardText(asAlice));

        await client.PostMessageAsync(alice.ConversationId, bob, null, value: ButtonData(asBob, "approve"));
        await client.WaitForAsync(alice.ConversationId, alice.Token, a => DirectLineClient.CardText(a).Contains("Run succeeded"), "the summary");
        Assert.Equal(1, target.HitCount("/t"));
    }

    /// <summary>A token for another person in an existing conversation, as the /chat page issues one (signed with the secret).</summary>
    internal static string TokenFor(string conversationId, string? userId, string? name, TimeProvider? clock = null) =>
        new DirectLineTokens(Options.Create(new DirectLineOptions { Secret = Secret }), clock ?? TimeProvider.System)
            .Issue(conversationId, userId, name, signedIn: false).Token;

    internal static JsonObject ButtonData(JsonObject card, string verb) =>
        card["attachments"]![0]!["content"]!["actions"]!.AsArray()
            .Select(a => a!["data"]!.AsObject())
            .Single(d => d["verb"]!.GetValue<string>() == verb).DeepClone().AsObject();
}
