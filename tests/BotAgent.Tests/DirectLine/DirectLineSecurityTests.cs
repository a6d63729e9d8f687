using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using Dapper;
using Microsoft.Extensions.Logging;

namespace BotAgent.Tests.DirectLine;

/// <summary>
/// Attacks on the Direct Line endpoint, each refused with the status a Direct Line client expects and nothing stored:
/// no credentials, forged, expired and other conversations' tokens, posting as someone else, a token minting tokens,
/// web pages of other sites, malformed and huge bodies, floods, and local mode reached from elsewhere.
/// </summary>
public sealed class DirectLineSecurityTests
{
    private const string Secret = DirectLineConversationTests.Secret;

    [Fact]
    public async Task Without_credentials_a_bot_with_a_secret_answers_401_and_a_forged_token_403()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(Secret, "alice");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(HttpMethod.Post, "conversations", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", "not-the-secret-" + Secret)).StatusCode);
        var forged = start.Token[..^4] + (start.Token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", forged)).StatusCode);
        // A token signed with another secret is as good as forged.
        var foreign = new BotAgent.Channels.DirectLine.DirectLineTokens(
            Microsoft.Extensions.Options.Options.Create(new BotAgent.Channels.DirectLine.DirectLineOptions { Secret = "another-secret-of-another-bot-0123456789" }), TimeProvider.System)
            .Issue(start.ConversationId, "alice", null, signedIn: false).Token;
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", foreign)).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_403_and_cannot_be_refreshed()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(Secret, "alice");
        var expired = DirectLineConversationTests.TokenFor(start.ConversationId, "alice", "Alice", new EarlierClock(TimeSpan.FromHours(2)));

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", expired)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, "tokens/refresh", expired)).StatusCode);

        using var refreshed = await client.SendAsync(HttpMethod.Post, "tokens/refresh", start.Token);
        var fresh = (await DirectLineClient.ReadOkAsync(refreshed))["token"]!.GetValue<string>();
        Assert.NotEqual(start.Token, fresh);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", fresh)).StatusCode);
    }

    [Fact]
    public async Task A_token_of_one_conversation_reads_posts_and_streams_nothing_of_another()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var alice = await client.StartAsync(Secret, "alice");
        var mallory = await client.StartAsync(Secret, "mallory");
        var other = alice.ConversationId;

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"conversations/{other}/activities", mallory.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"conversations/{other}", mallory.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, $"conversations/{other}/activities", mallory.Token, Message("mallory", "help"))).StatusCode);
        // The stream URL's token names its conversation too, and a conversation token is not a stream token.
        var stolen = mallory.StreamUrl.Replace(mallory.ConversationId, other, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => DirectLineClient.OpenStreamAsync(stolen));
        var withConversationToken = alice.StreamUrl[..(alice.StreamUrl.IndexOf("t=", StringComparison.Ordinal) + 2)] + Uri.EscapeDataString(alice.Token);
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => DirectLineClient.OpenStreamAsync(withConversationToken));
        await AssertNoMessagesAsync(bot);
    }

    [Fact]
    public async Task A_token_bound_to_one_person_cannot_post_as_another_or_mint_tokens()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var alice = await client.StartAsync(Secret, "alice", "Alice");

        using var asBob = await client.SendAsync(HttpMethod.Post, $"conversations/{alice.ConversationId}/activities", alice.Token, Message("bob", "help"));
        Assert.Equal(HttpStatusCode.Forbidden, asBob.StatusCode);
        Assert.Contains("another user id", await asBob.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, "tokens/generate", alice.Token)).StatusCode);
        await AssertNoMessagesAsync(bot);

        // Without a from.id the token's person is the sender, whatever name the client gives.
        var message = Message(null, "help");
        message["from"] = new JsonObject { ["name"] = "Bob" };
        // Nor may a client set the bot's own marks (which card an activity is, or updates).
        message["channelData"] = new JsonObject { ["botagent.planCard"] = "run-1", ["botagent.updates"] = "x|0000001", ["clientActivityID"] = "c-1" };
        using var unnamed = await client.SendAsync(HttpMethod.Post, $"conversations/{alice.ConversationId}/activities", alice.Token, message);
        Assert.Equal(HttpStatusCode.OK, unnamed.StatusCode);
        var echo = await client.WaitForAsync(alice.ConversationId, alice.Token, a => a["text"]?.GetValue<string>() == "help", "the echo");
        Assert.Equal("alice", echo["from"]!["id"]!.GetValue<string>());
        Assert.Equal("Alice", echo["from"]!["name"]!.GetValue<string>());
        Assert.Equal(["clientActivityID", "webchat:sequence-id"], echo["channelData"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_card_with_an_approve_button_for_another_persons_run_posted_by_a_client_reaches_nobody_as_a_card()
    {
        await using var target = await TargetServer.StartAsync();
        target.Respond("/t", new TargetResponse(201, "created"));
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var alice = await client.StartAsync(Secret, "alice", "Alice");
        var bob = DirectLineConversationTests.TokenFor(alice.ConversationId, "bob", "Bob");
        await client.PostMessageAsync(alice.ConversationId, alice.Token, null, $"1. http.request url={target.Url("/t")} method=POST");
        var real = await client.WaitForAsync(alice.ConversationId, bob, a => DirectLineClient.CardText(a).Contains("Plan awaiting approval"), "Bob's view of the card");

        // Alice dresses a message as the bot's card, with an Approve button that names her own run and plan.
        var fake = new JsonObject
        {
            ["type"] = "message",
            ["text"] = "please look",
            ["attachments"] = new JsonArray(real["attachments"]![0]!.DeepClone()),
            ["attachmentLayout"] = "carousel",
            ["suggestedActions"] = new JsonObject { ["actions"] = new JsonArray(new JsonObject { ["type"] = "messageBack", ["title"] = "Approve", ["value"] = DirectLineConversationTests.ButtonData(real, "approve") }) },
            ["entities"] = new JsonArray(new JsonObject { ["type"] = "https://schema.org/Message", ["name"] = "x" }),
        };
        await DirectLineClient.ReadOkAsync(await client.SendAsync(HttpMethod.Post, $"conversations/{alice.ConversationId}/activities", alice.Token, fake));

        var shown = await client.WaitForAsync(alice.ConversationId, bob, a => a["text"]?.GetValue<string>() == "please look", "Alice's message in Bob's view");
        Assert.Null(shown["attachments"]);
        Assert.Null(shown["attachmentLayout"]);
        Assert.Null(shown["suggestedActions"]);
        Assert.Null(shown["entities"]);
        using var db = bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbox WHERE payload LIKE '%please look%' AND (payload LIKE '%attachments%' OR payload LIKE '%suggestedActions%')"));
        Assert.Equal(0, target.HitCount("/t"));
    }

    [Fact]
    public async Task Holders_of_a_token_minted_for_nobody_name_themselves_so_their_write_plans_cannot_be_approved_under_another_name()
    {
        await using var target = await TargetServer.StartAsync();
        target.Respond("/t", new TargetResponse(201, "created"));
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        using var generated = await client.SendAsync(HttpMethod.Post, "tokens/generate", Secret);
        var grant = await DirectLineClient.ReadOkAsync(generated);
        var (conversation, token) = (grant["conversationId"]!.GetValue<string>(), grant["token"]!.GetValue<string>());
        await DirectLineClient.ReadOkAsync(await client.SendAsync(HttpMethod.Post, "conversations", token));

        await client.PostMessageAsync(conversation, token, "alice", $"1. http.request url={target.Url("/t")} method=POST");
        // The buttons as the secret's holder (who speaks for everyone) sees them: the token's holder is shown none.
        var card = await client.WaitForAsync(conversation, Secret, a => DirectLineClient.CardText(a).Contains("Plan awaiting approval"), "the plan card");
        Assert.Contains("this channel lets people name themselves", DirectLineClient.CardText(card));
        await client.PostMessageAsync(conversation, token, "alice-again", value: DirectLineConversationTests.ButtonData(card, "approve"));

        await client.WaitForAsync(conversation, token, a => DirectLineClient.CardText(a).Contains("may not approve"), "the refusal");
        Assert.Equal(0, target.HitCount("/t"));
    }

    [Fact]
    public async Task A_token_minted_for_nobody_sees_a_write_plan_card_without_buttons_and_nothing_addressed_to_one_person()
    {
        await using var target = await TargetServer.StartAsync();
        target.Respond("/t", new TargetResponse(201, "created"));
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings());
        using var client = new DirectLineClient(bot.BaseUri);
        var alice = await client.StartAsync(Secret, "alice", "Alice");
        var nobody = DirectLineConversationTests.TokenFor(alice.ConversationId, null, null);

        await client.PostMessageAsync(alice.ConversationId, alice.Token, null, $"1. http.request url={target.Url("/t")} method=POST");
        var card = await client.WaitForAsync(alice.ConversationId, nobody, a => DirectLineClient.CardText(a).Contains("Plan awaiting approval"), "the card in an anonymous view");
        Assert.DoesNotContain(card["attachments"]![0]!["content"]!["actions"]?.AsArray() ?? [], a => a!["title"]?.GetValue<string>() == "Approve");
        // The card addressed to Alice alone, as the bot stores what it says to one person (DirectTo).
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={bot.DatabasePath};Pooling=False"))
            await db.ExecuteAsync("UPDATE hosted_activities SET recipient_id = 'alice' WHERE payload LIKE '%Plan awaiting approval%'");
        var (all, _) = await client.GetAsync(alice.ConversationId, nobody, null);
        Assert.DoesNotContain(all, a => DirectLineClient.CardText(a!.AsObject()).Contains("Plan awaiting approval"));
    }

    [Fact]
    public async Task A_web_page_of_another_site_is_refused_by_its_origin_and_a_no_cors_text_post_by_its_media_type()
    {
        await using var bot = await BotUnderTest.StartAsync();
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(null, "alice");

        using var crossSite = await client.SendAsync(HttpMethod.Post, "conversations", null, new JsonObject(), r => r.Headers.Add("Origin", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        using var noCors = await client.SendAsync(HttpMethod.Post, $"conversations/{start.ConversationId}/activities", null, null,
            r => r.Content = new StringContent("""{"type":"message","from":{"id":"alice"},"text":"help"}""", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noCors.StatusCode);
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => DirectLineClient.OpenStreamAsync(start.StreamUrl, origin: "https://evil.example"));
        // The bot's own page is same-origin: allowed.
        using var own = await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", start.Token, null,
            r => r.Headers.Add("Origin", bot.BaseUri.GetLeftPart(UriPartial.Authority)));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await AssertNoMessagesAsync(bot);
    }

    [Fact]
    public async Task Behind_a_proxy_that_ends_tls_the_public_address_is_the_pages_own_origin_and_the_streams_address()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings(("BotFramework:PublicBaseUrl", "https://bot.example.test")));
        using var client = new DirectLineClient(bot.BaseUri);

        using var started = await client.SendAsync(HttpMethod.Post, "conversations", Secret, new JsonObject(), r =>
        {
            r.Headers.Host = "bot.example.test";
            r.Headers.Add("Origin", "https://bot.example.test");
        });
        var answer = await DirectLineClient.ReadOkAsync(started);
        Assert.StartsWith("wss://bot.example.test/v3/directline/conversations/", answer["streamUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        using var foreign = await client.SendAsync(HttpMethod.Post, "conversations", Secret, new JsonObject(), r =>
        {
            r.Headers.Host = "bot.example.test";
            r.Headers.Add("Origin", "https://evil.example");
        });
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_duplicate_keys_and_a_huge_body_are_refused_before_anything_is_stored()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings(("DirectLine:MaxRequestBytes", "4096")));
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(Secret, "alice");
        var path = $"conversations/{start.ConversationId}/activities";

        Assert.Equal(HttpStatusCode.BadRequest, (await PostRawAsync(client, path, start.Token, """{"type":"message","text":""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostRawAsync(client, path, start.Token, """{"type":"message","text":"a","text":"b"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostRawAsync(client, path, start.Token, """{"text":"no type"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostRawAsync(client, path, start.Token, $$"""{"type":"message","text":"{{new string('x', 8000)}}"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(HttpMethod.Get, path + "?watermark=-1", start.Token)).StatusCode);
        await AssertNoMessagesAsync(bot);
    }

    [Fact]
    public async Task A_flood_of_posts_and_of_new_conversations_is_answered_429()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings(
            ("DirectLine:MaxPostsPerMinute", "3"), ("DirectLine:MaxConversationsPerMinute", "3")));
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(Secret, "alice");

        var posts = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            posts.Add((await client.SendAsync(HttpMethod.Post, $"conversations/{start.ConversationId}/activities", start.Token, Message(null, "status"))).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], posts);

        var starts = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            starts.Add((await client.SendAsync(HttpMethod.Post, "conversations", Secret)).StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], starts);
    }

    [Fact]
    public async Task Open_streams_per_person_and_conversation_are_capped_and_a_closed_one_frees_its_place()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings(("DirectLine:MaxStreamsPerConversation", "2")));
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(Secret, "alice");
        var other = await client.StartAsync(Secret, "alice");

        using var first = await DirectLineClient.OpenStreamAsync(start.StreamUrl);
        using var second = await DirectLineClient.OpenStreamAsync(start.StreamUrl);
        var refused = await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => DirectLineClient.OpenStreamAsync(start.StreamUrl));
        Assert.Contains("429", refused.Message);
        using var elsewhere = await DirectLineClient.OpenStreamAsync(other.StreamUrl);

        await first.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        using var again = await Eventually.GetAsync(async () =>
        {
            try
            {
                return await DirectLineClient.OpenStreamAsync(start.StreamUrl);
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                return null;
            }
        }, "a place freed by the closed stream");
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, again.State);
    }

    [Fact]
    public async Task In_local_mode_callers_on_this_machine_need_no_credentials_and_others_are_refused_with_a_clear_reason()
    {
        await using var bot = await BotUnderTest.StartAsync();
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(null, "alice");
        await client.PostMessageAsync(start.ConversationId, start.Token, "alice", "help");

        // A request relayed by a proxy or tunnel on this machine is not a local caller.
        using var relayed = await client.SendAsync(HttpMethod.Post, "conversations", null, new JsonObject(), r => r.Headers.Add("X-Forwarded-For", "203.0.113.7"));
        Assert.Equal(HttpStatusCode.Forbidden, relayed.StatusCode);
        Assert.Contains("local mode", await relayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var relayedWithToken = await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", start.Token, null, r => r.Headers.Add("X-Forwarded-For", "203.0.113.7"));
        Assert.Equal(HttpStatusCode.Forbidden, relayedWithToken.StatusCode);
    }

    [Fact]
    public async Task Neither_the_secret_nor_a_token_reaches_the_log_or_an_answer()
    {
        var logs = new InMemoryLoggerProvider();
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings(), builder => logs.AddTo(builder.Logging));
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(Secret, "alice");
        using var refused = await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", start.Token + "x");
        using var wrong = await client.SendAsync(HttpMethod.Post, "conversations", Secret + "x");
        await client.PostMessageAsync(start.ConversationId, start.Token, null, "help");
        await client.WaitForAsync(start.ConversationId, start.Token, a => a["replyToId"] is not null, "the answer");

        var text = string.Join("\n", logs.Lines.Select(l => l.ToString()));
        Assert.Contains("Refused a Direct Line request", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(start.Token[4..40], text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static JsonObject Message(string? from, string text)
    {
        var message = new JsonObject { ["type"] = "message", ["text"] = text };
        if (from is not null)
            message["from"] = new JsonObject { ["id"] = from };
        return message;
    }

    private static Task<HttpResponseMessage> PostRawAsync(DirectLineClient client, string path, string token, string body) =>
        client.SendAsync(HttpMethod.Post, path, token, null, r => r.Content = new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task AssertNoMessagesAsync(BotUnderTest bot)
    {
        using var db = bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbox WHERE payload LIKE '%\"type\":\"message\"%'"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM hosted_activities WHERE payload LIKE '%\"role\":\"user\"%'"));
    }

    private sealed class EarlierClock(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - by;
    }
}
