using System.Net;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.Slack;

/// <summary><c>Slack:AllowedTeams</c>: events and clicks from other workspaces are acknowledged and dropped unstored.</summary>
public sealed class SlackAllowedTeamsTests
{
    [Fact]
    public async Task A_goal_from_another_workspace_is_acknowledged_and_not_kept_while_the_allowed_one_is_served()
    {
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?> { ["Slack:AllowedTeams:0"] = TestSlackServer.TeamId });
        var foreign = new SlackRequests(SlackScenario.SigningSecret, teamId: "T0OTHERTEAM").Mention(SlackScenario.Alice, SlackScenario.Channel, "check http://127.0.0.1/health");

        var response = await s.SendEventAsync(foreign);
        var plan = await s.PostGoalAsync(SlackScenario.Bob, "check http://127.0.0.1/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Plan awaiting approval", plan.Text, StringComparison.Ordinal);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Single(s.Slack.Calls, c => c.Method == "chat.postMessage" && c.BlockText.Contains("Plan awaiting approval", StringComparison.Ordinal));
    }
}
