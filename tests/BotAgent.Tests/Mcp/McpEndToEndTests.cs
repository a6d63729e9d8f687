using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Mcp;

/// <summary>
/// MCP tools through the whole bot: a real MCP server in another process (stdio, and streamable HTTP), its tools in
/// <c>help</c>, planned with the risk its annotations (or configuration) give, approved, run, and reported in the thread.
/// </summary>
public sealed partial class McpEndToEndTests
{
    private static readonly Dictionary<string, string?> Demo = TestMcpServerProcess.StdioSettings("demo");

    [GeneratedRegex(@"pid (\d+)")]
    private static partial Regex Pid();

    [Fact]
    public async Task Help_lists_the_servers_tools_with_their_risk()
    {
        await using var s = await McpScenario.StartAsync(Demo);

        var help = await s.PostAsync(BotScenario.Alice, "help");

        Assert.Contains("`mcp.demo.echo` (read_only)", help.CardText);
        Assert.Contains("`mcp.demo.create_ticket` (write)", help.CardText);
        Assert.Contains("`mcp.demo.delete_all` (high)", help.CardText);
    }

    [Fact]
    public async Task A_read_only_tool_is_planned_approved_by_the_requester_run_and_reported()
    {
        await using var s = await McpScenario.StartAsync(Demo);

        var card = await s.PostGoalAsync(BotScenario.Alice, "1. mcp.demo.echo text=hello");

        Assert.Contains("Plan awaiting approval", card.Text);
        Assert.Contains("mcp.demo.echo", card.Text);
        Assert.Contains("Risk: read_only", card.Text);
        await s.SubmitAsync(BotScenario.Alice, card, "approve"); // read-only: the requester may approve alone

        var step = await s.WaitForReplyAsync(card, "Step 1");
        Assert.Contains("hello", step.CardText);
        await s.WaitForReplyAsync(card, "Run succeeded");
        using var db = s.Bot.OpenDatabase();
        var attempt = await db.QuerySingleAsync<(string Tool, string State, string Output)>("SELECT tool, state, output FROM step_attempts");
        Assert.Equal(("mcp.demo.echo", "succeeded", "hello"), attempt);
    }

    [Fact]
    public async Task A_tool_annotated_not_destructive_plans_as_a_write_and_needs_another_approver()
    {
        await using var s = await McpScenario.StartAsync(Demo);

        var card = await s.PostGoalAsync(BotScenario.Alice, "1. mcp.demo.create_ticket title=\"Disk full on db-1\"");

        Assert.Contains("Risk: write", card.Text);
        Assert.Contains("Who may approve: Any member of this conversation other than Alice", card.Text);
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
        var step = await s.WaitForReplyAsync(card, "Step 1");
        Assert.Contains("Created ticket T-1: Disk full on db-1", step.CardText);
        Assert.Contains("idempotency key: ", step.CardText); // passed in the call's _meta
        await s.WaitForReplyAsync(card, "Run succeeded");
    }

    [Fact]
    public async Task A_tool_without_annotations_is_destructive_by_default_and_plans_as_high()
    {
        var settings = new Dictionary<string, string?>(Demo) { ["Approvals:HighRiskApprovers:0"] = "user-carol" };
        await using var s = await McpScenario.StartAsync(settings);

        var card = await s.PostGoalAsync(BotScenario.Alice, "1. mcp.demo.delete_all");

        Assert.Contains("Risk: high", card.Text);
        Assert.Contains("Who may approve: A configured approver (user-carol)", card.Text);
        await s.SubmitAsync(BotScenario.Carol, card, "approve");
        var step = await s.WaitForReplyAsync(card, "Step 1");
        Assert.Contains("Deleted everything", step.CardText);
    }

    [Fact]
    public async Task Configuration_overrides_the_risk_a_server_declares()
    {
        var settings = new Dictionary<string, string?>(Demo)
        {
            ["Mcp:Servers:demo:Tools:delete_all:Risk"] = "write",
            ["Mcp:Servers:demo:Tools:echo:Risk"] = "high",
        };
        await using var s = await McpScenario.StartAsync(settings);

        var help = await s.PostAsync(BotScenario.Alice, "help");
        Assert.Contains("`mcp.demo.delete_all` (write)", help.CardText);
        Assert.Contains("`mcp.demo.echo` (high)", help.CardText);

        var card = await s.PostGoalAsync(BotScenario.Alice, "1. mcp.demo.delete_all");
        Assert.Contains("Risk: write", card.Text);
        Assert.DoesNotContain("high", card.Text);
    }

    [Fact]
    public async Task An_error_result_fails_the_step_with_the_servers_words()
    {
        await using var s = await McpScenario.StartAsync(Demo);
        var card = await s.PostGoalAsync(BotScenario.Alice, "1. mcp.demo.fail");
        await s.SubmitAsync(BotScenario.Alice, card, "approve");

        var summary = await s.WaitForReplyAsync(card, "Run failed");

        Assert.Contains("Something went wrong on purpose", summary.CardText);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM step_attempts"));
    }

    [Fact]
    public async Task A_server_that_is_down_does_not_stop_the_bot_and_its_tools_are_refused_with_the_reason()
    {
        var settings = new Dictionary<string, string?>(Demo) { ["Mcp:Servers:down:Command"] = "/nonexistent/mcp-server" };
        await using var s = await McpScenario.StartAsync(settings);

        var help = await s.PostAsync(BotScenario.Alice, "help");
        Assert.Contains("mcp.demo.echo", help.CardText);
        Assert.DoesNotContain("mcp.down.", help.CardText);

        var refusal = await s.PostAsync(BotScenario.Alice, "1. mcp.down.echo text=hi");
        Assert.Contains("policy refused it", refusal.CardText);
        Assert.Contains("MCP server 'down' is unavailable: '/nonexistent/mcp-server' could not be started", refusal.CardText);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("policy_denied", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM step_attempts"));
    }

    [Fact]
    public async Task A_killed_stdio_server_is_started_again_for_the_next_run()
    {
        await using var s = await McpScenario.StartAsync(Demo);
        var first = await RunPidAsync(s);

        using (var server = Process.GetProcessById(first))
        {
            server.Kill();
            await server.WaitForExitAsync();
        }

        var second = await RunPidAsync(s);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_server_over_streamable_http_is_planned_approved_and_run()
    {
        await using var server = await TestMcpServerProcess.StartHttpAsync();
        await using var s = await McpScenario.StartAsync(new Dictionary<string, string?> { ["Mcp:Servers:remote:Url"] = server.Url.ToString() });

        var card = await s.PostGoalAsync(BotScenario.Alice, "1. mcp.remote.echo over http"); // bare words fill 'text'
        Assert.Contains("Risk: read_only", card.Text);
        await s.SubmitAsync(BotScenario.Alice, card, "approve");

        var step = await s.WaitForReplyAsync(card, "Step 1");
        Assert.Contains("over http", step.CardText);
        await s.WaitForReplyAsync(card, "Run succeeded");
    }

    private static async Task<int> RunPidAsync(McpScenario s)
    {
        var card = await s.PostGoalAsync(BotScenario.Alice, "1. mcp.demo.pid");
        await s.SubmitAsync(BotScenario.Alice, card, "approve");
        var step = await s.WaitForReplyAsync(card, "Step 1");
        await s.WaitForReplyAsync(card, "Run succeeded");
        return int.Parse(Pid().Match(step.CardText).Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
