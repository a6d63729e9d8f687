using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Authentication;

/// <summary>
/// An Entra token (the Emulator's, the Playground's) is minted with the bot's own credentials, so whoever holds them can
/// write any activity under it, <c>channelId: "msteams"</c> and a Teams approver's ids included. Only a channel token
/// makes a sender a Teams person: under an Entra token the sender is an Emulator person, matches no <c>teams:</c>
/// approver and no Entra object id, and vouches for no tenant, whatever the activity (or a field it forges) says.
/// </summary>
public sealed class EntraTokenIdentityTests
{
    private const string AppId = "6f0f3f2e-9c1a-4d7e-8a55-1f2e3d4c5b6a";
    private const string Goal = "1. shell.run {\"executable\": \"/bin/echo\", \"args\": [\"hello\"]}";
    private static readonly JsonObject Dana = Activities.User("29:dana", "Dana", "aad-dana");

    private static async Task<(BotScenario Scenario, TestIdentityServer Identity)> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var identity = await TestIdentityServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "not-a-real-secret",
            ["BotFramework:OpenIdMetadataUrl"] = identity.MetadataUrl,
            ["BotFramework:EmulatorOpenIdMetadataUrl"] = identity.MetadataUrl,
            ["BotFramework:TokenEndpoint"] = identity.TokenEndpoint,
            ["Tools:Shell:Enabled"] = "true",
            ["Tools:Shell:AllowedExecutables:0"] = "/bin/echo",
            ["Approvals:HighRiskApprovers:0"] = "teams:aad-dana",
        };
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return (await BotScenario.StartAsync("msteams", settings), identity);
    }

    private static async Task<PlanCard> PostGoalAsync(BotScenario s, TestIdentityServer identity)
    {
        var goal = s.Activities.Message(BotScenario.Alice, Goal);
        Assert.Equal(HttpStatusCode.OK, (await s.Bot.PostActivityAsync(goal, "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl))).StatusCode);
        var goalId = goal["id"]!.GetValue<string>();
        var post = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.Card is not null, what: "the plan card")).First();
        return new PlanCard(post, goalId);
    }

    private static JsonObject Click(BotScenario s, PlanCard card, string? forgedVoucher = null)
    {
        var action = card.Button("approve");
        var click = s.Activities.Execute(Dana, "approve", action["data"]!.AsObject(), card.ActivityId);
        if (forgedVoucher is not null)
            click["botagent.vouchedBy"] = forgedVoucher;
        return click;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("channel")] // the field the bot keeps with the activity, forged by the sender
    [InlineData("local")]
    public async Task An_entra_token_claiming_msteams_and_a_teams_approvers_ids_approves_nothing(string? forgedVoucher)
    {
        var (s, identity) = await StartAsync();
        await using var _ = s;
        await using var __ = identity;
        var card = await PostGoalAsync(s, identity);

        var response = await s.Bot.PostActivityAsync(Click(s, card, forgedVoucher), "Bearer " + identity.EmulatorToken(AppId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("only configured approvers may approve", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("awaiting_approval", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
    }

    [Fact]
    public async Task The_same_click_under_a_channel_token_is_danas_and_approves()
    {
        var (s, identity) = await StartAsync();
        await using var _ = s;
        await using var __ = identity;
        var card = await PostGoalAsync(s, identity);

        var response = await s.Bot.PostActivityAsync(Click(s, card), "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
    }

    [Fact]
    public async Task An_entra_token_vouches_for_no_tenant()
    {
        var (s, identity) = await StartAsync(new() { ["BotFramework:AllowedTenants:0"] = "tenant-a" });
        await using var _ = s;
        await using var __ = identity;
        var goal = s.Activities.Message(BotScenario.Alice, "hello");
        goal["conversation"]!["tenantId"] = "tenant-a";

        var entra = await s.Bot.PostActivityAsync(goal, "Bearer " + identity.EmulatorToken(AppId));
        goal["id"] = "another-id";
        var channel = await s.Bot.PostActivityAsync(goal, "Bearer " + identity.ChannelToken(AppId, s.Channel.ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, entra.StatusCode);
        Assert.Equal(HttpStatusCode.OK, channel.StatusCode);
    }
}
