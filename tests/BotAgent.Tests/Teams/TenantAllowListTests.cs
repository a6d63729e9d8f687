using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Teams;

/// <summary><c>BotFramework:AllowedTenants</c>: conversations of other Microsoft Entra tenants are refused and leave nothing behind.</summary>
public sealed class TenantAllowListTests
{
    private static Task<BotScenario> StartAsync() => BotScenario.StartAsync("msteams", new Dictionary<string, string?>
    {
        ["BotFramework:AllowedTenants:0"] = "tenant-a",
        ["BotFramework:AllowedTenants:1"] = "tenant-c",
    });

    [Fact]
    public async Task Activities_of_other_tenants_or_of_none_are_refused_and_not_kept()
    {
        await using var s = await StartAsync();
        var foreign = s.Activities.Message(BotScenario.Alice, "help");
        foreign["conversation"]!["tenantId"] = "tenant-b";
        var unnamed = s.Activities.Message(BotScenario.Alice, "help");

        var refused = await s.Bot.PostActivityAsync(foreign);
        var alsoRefused = await s.Bot.PostActivityAsync(unnamed);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("AllowedTenants", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, alsoRefused.StatusCode);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task A_tenant_named_on_a_channel_other_than_teams_decides_nothing()
    {
        // Web Chat and Direct Line clients write channelData themselves.
        await using var s = await BotScenario.StartAsync("webchat", new Dictionary<string, string?> { ["BotFramework:AllowedTenants:0"] = "tenant-a" });
        var claimed = s.Activities.Message(BotScenario.Alice, "help");
        claimed["conversation"]!["tenantId"] = "tenant-a";
        claimed["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-a" } };

        var response = await s.Bot.PostActivityAsync(claimed);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("AllowedTenants", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task An_allowed_tenant_is_served_whichever_field_names_it()
    {
        await using var s = await StartAsync();
        var viaConversation = s.Activities.Message(BotScenario.Alice, "help");
        viaConversation["conversation"]!["tenantId"] = "TENANT-A";
        var viaChannelData = s.Activities.Message(BotScenario.Alice, "help");
        viaChannelData["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-c" } };

        Assert.Equal(HttpStatusCode.OK, (await s.Bot.PostActivityAsync(viaConversation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Bot.PostActivityAsync(viaChannelData)).StatusCode);

        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded, count: 2, what: "both answers");
    }
}
