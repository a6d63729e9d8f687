using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.Traces;

namespace BotAgent.Tests.DirectLine;

/// <summary>
/// <c>/chat</c> and its token: the page and Web Chat's bundle come from the bot itself, under a policy that allows only
/// the bot's own scripts; a token is given only to the page, for a name picked on this machine (local mode) or for the
/// person signed in with Entra ID, never for an id the page chooses.
/// </summary>
public sealed class ChatPageTests
{
    private const string Group = "5d1c7a9e-0f3b-4c2d-9e8f-7a6b5c4d3e2f";

    [Fact]
    public async Task The_page_its_policy_and_the_web_chat_bundle_with_its_licence_are_served_by_the_bot()
    {
        await using var bot = await BotUnderTest.StartAsync();

        using var page = await bot.GetAsync("/chat");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("/chat/webchat-4.18.1.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var bundle = await bot.GetAsync("/chat/webchat-4.18.1.js");
        Assert.Equal("text/javascript", bundle.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", bundle.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.True((await bundle.Content.ReadAsByteArrayAsync()).Length > 3_000_000);
        Assert.Contains("MIT License", await (await bot.GetAsync("/chat/webchat-LICENSE.txt")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await bot.GetAsync("/chat/appsettings.json")).StatusCode);
    }

    [Fact]
    public async Task In_local_mode_a_token_goes_only_to_the_page_on_this_machine_for_the_name_picked_there()
    {
        await using var bot = await BotUnderTest.StartAsync();
        using var http = new HttpClient();
        var own = bot.BaseUri.GetLeftPart(UriPartial.Authority);

        Assert.Equal(HttpStatusCode.Forbidden, (await TokenAsync(http, bot, null, """{"name":"Alice"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TokenAsync(http, bot, "https://evil.example", """{"name":"Alice"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await TokenAsync(http, bot, own, """{"name":"Alice"}""", "text/plain")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenAsync(http, bot, own, """{"name":"  "}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TokenAsync(http, bot, own, """{"name":"Alice"}""", forwardedFor: "203.0.113.7")).StatusCode);
        var relayed = new HttpRequestMessage(HttpMethod.Get, new Uri(bot.BaseUri, "chat"));
        relayed.Headers.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(relayed)).StatusCode);

        using var answer = await TokenAsync(http, bot, own, """{"name":"Alice Smith","room":"Ops Room"}""");
        var grant = await DirectLineClient.ReadOkAsync(answer);
        Assert.Equal("alice-smith", grant["userId"]!.GetValue<string>());
        Assert.Equal("room.ops-room", grant["conversationId"]!.GetValue<string>());
        var token = grant["token"]!.GetValue<string>();
        using var client = new DirectLineClient(bot.BaseUri);
        using var started = await client.SendAsync(HttpMethod.Post, "conversations", token);
        Assert.True(started.IsSuccessStatusCode);
        using var asBob = await client.SendAsync(HttpMethod.Post, "conversations/room.ops-room/activities", token,
            new JsonObject { ["type"] = "message", ["from"] = new JsonObject { ["id"] = "bob" }, ["text"] = "help" });
        Assert.Equal(HttpStatusCode.Forbidden, asBob.StatusCode);
    }

    [Fact]
    public async Task With_a_secret_the_page_needs_entra_sign_in_and_the_token_is_for_the_signed_in_person()
    {
        await using var entra = await TestEntraServer.StartAsync();
        var settings = entra.Settings(Group);
        settings["Traces:LoopbackAccess"] = "false";
        settings["DirectLine:Secret"] = DirectLineConversationTests.Secret;
        await using var bot = await BotUnderTest.StartAsync(settings);
        var own = bot.BaseUri.GetLeftPart(UriPartial.Authority);

        using (var stranger = new HttpClient())
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(stranger, bot, own, """{"name":"Alice"}""")).StatusCode);

        entra.NextUser = TestEntraUser.Alice(Group);
        using var browser = new CookieBrowser();
        var (page, _) = await browser.SignInAsync(new Uri(bot.BaseUri, "chat"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Signed in as <strong>Alice Example</strong>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The name the page sends is ignored: the token is for the signed-in person.
        using var answer = await TokenAsync(browser.Http, bot, own, """{"name":"Bob","room":"lobby"}""");
        var grant = await DirectLineClient.ReadOkAsync(answer);
        Assert.Equal("alice@contoso.example", grant["userId"]!.GetValue<string>());
        var token = grant["token"]!.GetValue<string>();
        using var client = new DirectLineClient(bot.BaseUri);
        await DirectLineClient.ReadOkAsync(await client.SendAsync(HttpMethod.Post, "conversations", token));
        await client.PostMessageAsync("room.lobby", token, null, "help");
        var echo = await client.WaitForAsync("room.lobby", token, a => a["text"]?.GetValue<string>() == "help", "the echo");
        Assert.Equal("alice@contoso.example", echo["from"]!["id"]!.GetValue<string>());
        Assert.Equal("Alice Example", echo["from"]!["name"]!.GetValue<string>());

        entra.NextUser = TestEntraUser.Mallory("0b0b0b0b-0000-4000-8000-000000000000");
        using var other = new CookieBrowser();
        var (refused, _) = await other.SignInAsync(new Uri(bot.BaseUri, "chat"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task With_a_secret_and_no_sign_in_configured_the_page_says_what_is_missing()
    {
        await using var bot = await BotUnderTest.StartAsync(DirectLineConversationTests.Settings());

        using var page = await bot.GetAsync("/chat");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Traces:Entra", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> TokenAsync(HttpClient http, BotUnderTest bot, string? origin, string body, string contentType = "application/json", string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(bot.BaseUri, "chat/token")) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return http.SendAsync(request);
    }
}
