using System.Diagnostics;
using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Testing;
using BotAgent.Tools.Mcp;

namespace BotAgent.Tools.Tests.Mcp;

/// <summary>The tools of a real MCP server started as a separate process and spoken to over stdio.</summary>
public sealed class McpStdioServerTests
{
    private static Task<McpToolHost> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = TestMcpServerProcess.StdioSettings("demo");
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return McpToolHost.StartAsync(settings);
    }

    [Fact]
    public async Task Tools_are_offered_as_mcp_server_tool_with_their_schemas_and_risk_from_annotations()
    {
        await using var host = await StartAsync();

        var names = host.Catalogue.Descriptors.Select(d => d.Name).ToList();
        Assert.Contains("mcp.demo.echo", names);
        Assert.Contains("mcp.demo.delete_all", names);
        var echo = host.Tool("mcp.demo.echo").Descriptor;
        Assert.Equal("Echoes the text back.", echo.Description);
        Assert.Equal("string", echo.ArgumentSchema.GetProperty("properties").GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("text", echo.PrimaryArgument);
        Assert.Equal(RiskLevel.ReadOnly, echo.Risk);
        Assert.Equal((RiskLevel.Write, false), Traits(host, "mcp.demo.create_ticket"));
        Assert.Equal((RiskLevel.Write, true), Traits(host, "mcp.demo.restart_service"));
        Assert.Equal((RiskLevel.High, false), Traits(host, "mcp.demo.delete_all"));
        Assert.DoesNotContain("mcp.demo.bad_schema", names); // policy could not validate its steps
    }

    [Fact]
    public async Task A_call_returns_the_text_and_a_write_carries_the_idempotency_key()
    {
        await using var host = await StartAsync();

        var echo = await host.CallAsync("mcp.demo.echo", new { text = "hello" });
        Assert.True(echo.Succeeded);
        Assert.Equal("hello", echo.Summary);
        Assert.Equal("hello", echo.Output);

        var ticket = await host.CallAsync("mcp.demo.create_ticket", new { title = "Disk full" }, idempotencyKey: "run-9:1:s2");
        Assert.True(ticket.Succeeded);
        Assert.StartsWith("Created ticket T-", ticket.Summary, StringComparison.Ordinal);
        Assert.Contains("idempotency key: run-9:1:s2", ticket.Output);
    }

    [Fact]
    public async Task An_error_result_fails_the_call_with_the_servers_words_and_a_protocol_error_is_a_refusal()
    {
        await using var host = await StartAsync();

        var failed = await host.CallAsync("mcp.demo.fail");
        Assert.Equal(ToolStatus.Failed, failed.Status);
        Assert.Equal("The tool reported an error: Something went wrong on purpose", failed.Summary);
        Assert.False(failed.Transient);

        var picture = await host.CallAsync("mcp.demo.picture");
        Assert.Equal("A red dot\n[image: image/png]", picture.Output);
    }

    [Fact]
    public async Task Configuration_overrides_risk_and_idempotence_and_can_hide_a_tool()
    {
        await using var host = await StartAsync(new()
        {
            ["Mcp:Servers:demo:Tools:delete_all:Risk"] = "write",
            ["Mcp:Servers:demo:Tools:echo:Risk"] = "high",
            ["Mcp:Servers:demo:Tools:create_ticket:Idempotent"] = "true",
            ["Mcp:Servers:demo:Tools:crash:Enabled"] = "false",
        });

        Assert.Equal((RiskLevel.Write, false), Traits(host, "mcp.demo.delete_all"));
        Assert.Equal(RiskLevel.High, host.Tool("mcp.demo.echo").Descriptor.Risk);
        Assert.Equal((RiskLevel.Write, true), Traits(host, "mcp.demo.create_ticket"));
        Assert.False(host.Catalogue.TryGet("mcp.demo.crash", out _));
    }

    [Fact]
    public async Task The_server_gets_only_a_safe_environment_plus_what_configuration_gives_it()
    {
        var secret = "BOTAGENT_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secret, "do-not-leak");
        try
        {
            await using var host = await StartAsync(new() { ["Mcp:Servers:demo:Env:TICKETS_PROJECT"] = "OPS" });

            Assert.Equal("OPS", (await host.CallAsync("mcp.demo.env", new { name = "TICKETS_PROJECT" })).Output);
            Assert.Equal("(unset)", (await host.CallAsync("mcp.demo.env", new { name = secret })).Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Fact]
    public async Task A_killed_server_is_started_again_and_the_next_call_succeeds()
    {
        await using var host = await StartAsync();
        var before = await PidAsync(host);

        using (var server = Process.GetProcessById(before))
        {
            server.Kill();
            await server.WaitForExitAsync();
        }

        var after = await PidAsync(host);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task A_server_that_dies_mid_call_fails_a_read_as_transient_and_comes_back()
    {
        await using var host = await StartAsync();
        var before = await PidAsync(host);

        var crashed = await host.CallAsync("mcp.demo.crash");

        Assert.Equal(ToolStatus.Failed, crashed.Status);
        Assert.StartsWith("MCP server 'demo' failed during the call:", crashed.Summary, StringComparison.Ordinal);
        Assert.True(crashed.Transient, "a read-only call may be retried on the next session");
        Assert.NotEqual(before, await PidAsync(host));
    }

    [Fact]
    public async Task A_write_cut_short_by_the_server_dying_is_not_repeated_and_says_it_may_have_happened()
    {
        await using var host = await StartAsync(new() { ["Mcp:Servers:demo:Tools:crash:Risk"] = "write" });

        var crashed = await host.CallAsync("mcp.demo.crash");

        Assert.Equal(ToolStatus.Failed, crashed.Status);
        Assert.StartsWith("MCP server 'demo' failed during the call (what it changes may or may not have happened): the server process exited with code 3",
            crashed.Summary, StringComparison.Ordinal);
        Assert.False(crashed.Transient);
        Assert.True((await host.CallAsync("mcp.demo.echo", new { text = "back" })).Succeeded);
    }

    [Fact]
    public async Task A_tool_list_change_is_picked_up_while_connected()
    {
        await using var host = await StartAsync();
        Assert.False(host.Catalogue.TryGet("mcp.demo.extra", out _));

        Assert.True((await host.CallAsync("mcp.demo.enable_extra")).Succeeded);

        await Eventually.TrueAsync(() => host.Catalogue.TryGet("mcp.demo.extra", out _), "the new tool to be listed");
        Assert.Equal("extra says hi", (await host.CallAsync("mcp.demo.extra")).Output);
    }

    [Fact]
    public async Task A_server_that_cannot_start_does_not_stop_start_and_its_tools_are_unavailable_with_the_reason()
    {
        var clock = Stopwatch.StartNew();
        await using var host = await McpToolHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mcp:Servers:broken:Command"] = "/nonexistent/mcp-server",
        });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));

        Assert.DoesNotContain(host.Catalogue.Descriptors, d => d.Name.StartsWith("mcp.broken.", StringComparison.Ordinal));
        Assert.True(host.Catalogue.TryGet("mcp.broken.echo", out var tool));
        var refusal = Assert.Single(tool.CheckArguments(JsonSerializer.SerializeToElement(new { text = "hi" })));
        Assert.StartsWith("MCP server 'broken' is unavailable: ", refusal, StringComparison.Ordinal);
        Assert.Equal(RiskLevel.High, tool.Descriptor.Risk);

        var outcome = await host.CallAsync("mcp.broken.echo", new { text = "hi" });
        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Equal(refusal, outcome.Summary);
        Assert.False(outcome.Transient);
        Assert.False(host.Catalogue.TryGet("mcp.nosuchserver.echo", out _));
    }

    [Fact]
    public async Task A_server_that_never_answers_holds_start_no_longer_than_the_startup_wait()
    {
        var clock = Stopwatch.StartNew();
        await using var host = await McpToolHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mcp:StartupWait"] = "00:00:00.500",
            ["Mcp:Servers:silent:Command"] = "sleep",
            ["Mcp:Servers:silent:Args:0"] = "60",
        });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"start took {clock.Elapsed}");
        Assert.True(host.Catalogue.TryGet("mcp.silent.anything", out var tool));
        Assert.Equal("MCP server 'silent' is unavailable: it has not connected yet", Assert.Single(tool.CheckArguments(default)));
    }

    private static (RiskLevel, bool) Traits(McpToolHost host, string name)
    {
        var descriptor = host.Tool(name).Descriptor;
        return (descriptor.Risk, descriptor.IsRetrySafe);
    }

    private static async Task<int> PidAsync(McpToolHost host)
    {
        var outcome = await host.CallAsync("mcp.demo.pid");
        Assert.True(outcome.Succeeded, outcome.Summary);
        return int.Parse(outcome.Output!["pid ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
