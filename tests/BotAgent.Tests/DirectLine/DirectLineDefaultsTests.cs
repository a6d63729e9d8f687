using System.Net;
using BotAgent.Testing;

namespace BotAgent.Tests.DirectLine;

/// <summary>
/// Where the bot's own Direct Line is on unless told: with a secret, or on a developer's machine. A production bot
/// (a MicrosoftAppId) without a secret does not quietly serve a local-mode Direct Line whose callers on the host are
/// trusted as anyone.
/// </summary>
public sealed class DirectLineDefaultsTests
{
    private const string AppId = "6f0f3f2e-9c1a-4d7e-8a55-1f2e3d4c5b6a";

    [Fact]
    public async Task A_bot_with_a_microsoft_app_id_and_no_direct_line_secret_serves_neither_direct_line_nor_chat()
    {
        await using var bot = await BotUnderTest.StartAsync(new Dictionary<string, string?> { ["MicrosoftAppId"] = AppId, ["MicrosoftAppPassword"] = "not-a-real-secret" });
        using var client = new DirectLineClient(bot.BaseUri);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Post, "conversations", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(bot.BaseUri, "chat"))).StatusCode);
    }

    [Theory]
    [InlineData("an app id and a secret")]
    [InlineData("an app id and Enabled set")]
    [InlineData("neither app id nor secret")]
    public async Task With_a_secret_when_enabled_or_without_a_microsoft_app_id_it_is_on(string setup)
    {
        var settings = setup switch
        {
            "an app id and a secret" => DirectLineConversationTests.Settings(("MicrosoftAppId", AppId), ("MicrosoftAppPassword", "not-a-real-secret")),
            "an app id and Enabled set" => new Dictionary<string, string?> { ["MicrosoftAppId"] = AppId, ["MicrosoftAppPassword"] = "not-a-real-secret", ["DirectLine:Enabled"] = "true" },
            _ => new Dictionary<string, string?>(),
        };
        await using var bot = await BotUnderTest.StartAsync(settings);
        using var client = new DirectLineClient(bot.BaseUri);

        // Answered by the endpoint (401 without the secret; local mode answers this machine), not missing.
        Assert.NotEqual(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Post, "conversations", null)).StatusCode);
    }
}
