using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;
using Microsoft.IdentityModel.Tokens;

namespace BotAgent.Tests.Authentication;

/// <summary>Bearer tokens on /api/messages, checked against a loopback OpenID metadata + JWKS server.</summary>
public sealed class InboundAuthTests
{
    private const string AppId = "6f0f3f2e-9c1a-4d7e-8a55-1f2e3d4c5b6a";

    private static async Task<(BotScenario Scenario, TestIdentityServer Identity)> StartAsync(string channelId = "msteams")
    {
        var identity = await TestIdentityServer.StartAsync();
        var scenario = await BotScenario.StartAsync(channelId, new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "not-a-real-secret",
            ["BotFramework:OpenIdMetadataUrl"] = identity.MetadataUrl,
            ["BotFramework:EmulatorOpenIdMetadataUrl"] = identity.MetadataUrl,
            ["BotFramework:TokenEndpoint"] = identity.TokenEndpoint,
            ["BotFramework:MetadataRefreshInterval"] = "00:00:01",
        });
        return (scenario, identity);
    }

    [Fact]
    public async Task A_valid_channel_token_is_accepted_and_the_goal_is_planned()
    {
        var (s, identity) = await StartAsync();
        await using var _ = s;
        await using var __ = identity;
        var goal = s.Activities.Message(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        var response = await s.Bot.PostActivityAsync(goal, "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal), what: "the plan card");
    }

    public static TheoryData<string> Forgeries => new()
    {
        "missing header", "not a bearer", "garbage", "bad signature", "unknown key", "wrong issuer",
        "wrong audience", "expired", "serviceUrl mismatch", "no serviceurl claim", "channel not endorsed",
        "emulator token for another app",
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_wrong_token_gets_401_says_nothing_and_changes_nothing(string forgery)
    {
        var (s, identity) = await StartAsync();
        await using var _ = s;
        await using var __ = identity;
        var url = s.Channel.ServiceUrl;
        using var otherKey = RSA.Create(2048);
        string? header = forgery switch
        {
            "missing header" => null,
            "not a bearer" => "Basic dXNlcjpwYXNz",
            "garbage" => "Bearer not.a.jwt",
            "bad signature" => "Bearer " + identity.ChannelToken(AppId, url, signWith: new RsaSecurityKey(otherKey)),
            "unknown key" => "Bearer " + identity.ChannelToken(AppId, url, kid: "key-nobody-published", signWith: new RsaSecurityKey(otherKey)),
            "wrong issuer" => "Bearer " + identity.ChannelToken(AppId, url, issuer: "https://evil.example.com"),
            "wrong audience" => "Bearer " + identity.ChannelToken("another-app-id", url),
            "expired" => "Bearer " + identity.ChannelToken(AppId, url, expiresIn: TimeSpan.FromMinutes(-10)),
            "serviceUrl mismatch" => "Bearer " + identity.ChannelToken(AppId, "https://smba.trafficmanager.net/elsewhere/"),
            "no serviceurl claim" => "Bearer " + identity.ChannelToken(AppId, url, includeServiceUrl: false),
            "channel not endorsed" => "Bearer " + identity.ChannelToken(AppId, url),
            "emulator token for another app" => "Bearer " + identity.EmulatorToken("another-app-id"),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        var activity = forgery == "channel not endorsed"
            ? new Activities(url, "slack").Message(BotScenario.Alice, "check https://example.com")
            : s.Activities.Message(BotScenario.Alice, "check https://example.com");

        var response = header is null ? await s.Bot.PostActivityAsync(activity) : await s.Bot.PostActivityAsync(activity, header);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("serviceurl", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("signature", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("issuer", body, StringComparison.OrdinalIgnoreCase);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
        Assert.Empty(s.Channel.Calls);
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("oversized")]
    public async Task A_forged_token_is_refused_before_the_body_is_read_so_the_body_tells_nothing(string body)
    {
        // The scheme authenticates before the endpoint reads anything: a caller without a valid token learns only 401,
        // not whether its body would have parsed (or how big one may be).
        var (s, identity) = await StartAsync();
        await using var _ = s;
        await using var __ = identity;
        using var otherKey = RSA.Create(2048);
        var text = body == "malformed" ? "{ not json" : "{\"type\":\"message\",\"text\":\"" + new string('x', 2_000_000) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(s.Bot.BaseUri, "api/messages"))
        {
            Content = new StringContent(text, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl, signWith: new RsaSecurityKey(otherKey)));
        using var http = new HttpClient();

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("JSON", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(s.Channel.Calls);
    }

    [Fact]
    public async Task Emulator_tokens_v1_and_v2_are_accepted()
    {
        var (s, identity) = await StartAsync(channelId: "emulator");
        await using var _ = s;
        await using var __ = identity;

        var v1 = await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "hello"), "Bearer " + identity.EmulatorToken(AppId));
        var v2 = await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "hello"), "Bearer " + identity.EmulatorToken(AppId, "2.0"));

        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
    }

    [Fact]
    public async Task A_key_published_after_start_is_found_by_refreshing_the_metadata()
    {
        var (s, identity) = await StartAsync();
        await using var _ = s;
        await using var __ = identity;
        Assert.Equal(HttpStatusCode.OK, (await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "hello"),
            "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl))).StatusCode);

        identity.AddKey("key-2", "msteams");

        // The metadata is refreshed at most once a second (configured), so the first tries may come too soon.
        await Eventually.TrueAsync(async () =>
        {
            var response = await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "hello"),
                "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl, kid: "key-2"));
            return response.StatusCode == HttpStatusCode.OK;
        }, "the rotated key to be accepted", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Local_mode_refuses_a_token_it_cannot_check()
    {
        await using var s = await BotScenario.StartAsync();

        var response = await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "hello"), "Bearer something");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
