using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Mcp;

/// <summary>
/// An MCP tool whose annotations change after people approved a plan that uses it: before its step runs it is
/// held to what was approved again, and since it now says it is destructive, the rest of the plan goes back to
/// people (the right ones for the new risk) instead of running.
/// </summary>
public sealed class McpEnvelopeTests
{
    [Fact]
    public async Task A_step_whose_tool_became_destructive_after_approval_is_not_run_and_the_rest_of_the_plan_asks_again()
    {
        var settings = new Dictionary<string, string?>(TestMcpServerProcess.StdioSettings("demo")) { ["Approvals:HighRiskApprovers:0"] = "user-carol" };
        await using var s = await McpScenario.StartAsync(settings);

        var card = await s.PostGoalAsync(BotScenario.Alice, "1. mcp.demo.escalate\n2. mcp.demo.status");
        Assert.Contains("mcp.demo.status on mcp:demo", card.Text);
        Assert.Contains("Risk: write", card.Text);
        await s.SubmitAsync(BotScenario.Bob, card, "approve");

        var again = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == card.GoalId && c.CardText.Contains("Plan: v2", StringComparison.Ordinal),
            what: "the plan card asking again")).First();
        Assert.Contains("Plan awaiting approval", again.CardText);
        Assert.Contains("Outside what was approved on v1: s2 (mcp.demo.status) is high; the approved envelope allows at most read_only steps", again.CardText);
        Assert.Contains("A configured approver (user-carol)", again.CardText);
        using (var db = s.Bot.OpenDatabase())
        {
            Assert.Equal(["mcp.demo.escalate"], await db.QueryAsync<string>("SELECT tool FROM step_attempts"));
            Assert.Equal(("awaiting_approval", 2, "high"), await db.QuerySingleAsync<(string, int, string)>("SELECT status, plan_version, risk_level FROM runs"));
            Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM execution_events WHERE type = 'step.outside_envelope' AND step_id = 's2'"));
        }

        // Bob may approve a write but not a high-risk plan; Carol, a configured approver, may.
        await s.Bot.PostActivityAsync(s.Activities.Submit(BotScenario.Carol, new PlanCard(again, card.GoalId).ButtonData("approve"), again.AssignedId!));
        await s.WaitForReplyAsync(card, "Run succeeded");
        using (var db = s.Bot.OpenDatabase())
            Assert.Equal(["mcp.demo.escalate", "mcp.demo.status"], await db.QueryAsync<string>("SELECT tool FROM step_attempts ORDER BY id"));
    }
}
