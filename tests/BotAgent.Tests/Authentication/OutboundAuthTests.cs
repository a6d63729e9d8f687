using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;

namespace BotAgent.Tests.Authentication;

/// <summary>The bot's own token on Connector calls, from a loopback client-credentials endpoint.</summary>
public sealed class OutboundAuthTests
{
    private const string AppId = "6f0f3f2e-9c1a-4d7e-8a55-1f2e3d4c5b6a";

    private static Dictionary<string, string?> Settings(TestIdentityServer identity, string appType = "MultiTenant") => new()
    {
        ["MicrosoftAppId"] = AppId,
        ["MicrosoftAppPassword"] = "s3cret-value",
        ["MicrosoftAppType"] = appType,
        ["MicrosoftAppTenantId"] = "11111111-2222-3333-4444-555555555555",
        ["BotFramework:OpenIdMetadataUrl"] = identity.MetadataUrl,
        ["BotFramework:TokenEndpoint"] = identity.TokenEndpoint,
    };

    [Fact]
    public async Task The_bot_fetches_a_token_once_reuses_it_and_every_connector_call_carries_it()
    {
        await using var identity = await TestIdentityServer.StartAsync();
        await using var s = await BotScenario.StartAsync("msteams", Settings(identity));
        s.Target.Respond("/a", new TargetResponse(200, "a"));
        var token = "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl);

        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, $"check {s.Target.Url("/a")}"), token);
        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Bob, $"check {s.Target.Url("/a")}"), token);
        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal), count: 2, what: "two plan cards");

        var request = Assert.Single(identity.TokenRequests);
        Assert.Equal("client_credentials", request["grant_type"]);
        Assert.Equal(AppId, request["client_id"]);
        Assert.Equal("https://api.botframework.com/.default", request["scope"]);
        Assert.All(s.Channel.Calls, c => Assert.Equal("Bearer bot-token-1", c.Authorization));
    }

    [Fact]
    public async Task The_token_is_refreshed_before_it_expires()
    {
        await using var identity = await TestIdentityServer.StartAsync();
        identity.ExpiresInSeconds = 2; // refreshed halfway through its life
        await using var s = await BotScenario.StartAsync("msteams", Settings(identity, "SingleTenant"));
        var token = "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl);

        await Eventually.TrueAsync(async () =>
        {
            await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "make me a sandwich"), token);
            await Task.Yield();
            return s.Channel.Calls.Any(c => c.Authorization == "Bearer bot-token-2");
        }, "a refreshed token on a connector call", TimeSpan.FromSeconds(15));

        Assert.True(identity.TokenRequests.Count >= 2);
        Assert.All(s.Channel.Calls, c => Assert.StartsWith("Bearer bot-token-", c.Authorization));
    }

    [Fact]
    public async Task Local_mode_sends_no_authorization()
    {
        await using var s = await BotScenario.StartAsync();
        await s.PostGoalAsync(BotScenario.Alice, "check https://example.com");

        Assert.All(s.Channel.Calls, c => Assert.Null(c.Authorization));
    }
}
