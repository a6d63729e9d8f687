using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Testing;
using BotAgent.Tools.Mcp;

namespace BotAgent.Tools.Tests.Mcp;

/// <summary>An MCP tool reaches its server, whatever it is asked and whether the server is up or down.</summary>
public sealed class McpTargetsTests
{
    [Fact]
    public async Task Targets_of_a_tool_are_its_server_whatever_the_arguments()
    {
        await using var host = await McpToolHost.StartAsync(TestMcpServerProcess.StdioSettings("demo"));
        var echo = host.Tool("mcp.demo.echo");

        Assert.Equal(["mcp:demo"], echo.Targets(JsonSerializer.SerializeToElement(new { text = "hello" })));
        Assert.Equal(["mcp:demo"], echo.Targets(JsonSerializer.SerializeToElement(new { url = "https://elsewhere.example.com" })));
        Assert.Equal(["mcp:demo"], echo.Targets(default));
        Assert.Equal(["mcp:demo"], echo.Descriptor.Targets);
        Assert.Equal(["mcp:demo"], host.Tool("mcp.demo.delete_all").Descriptor.Targets);
    }

    [Fact]
    public async Task A_call_measures_nothing()
    {
        await using var host = await McpToolHost.StartAsync(TestMcpServerProcess.StdioSettings("demo"));

        var outcome = await host.CallAsync("mcp.demo.echo", new { text = "42" });

        Assert.True(outcome.Succeeded, outcome.Summary);
        Assert.Null(outcome.Measures);
    }

    [Fact]
    public async Task Targets_of_a_tool_of_a_server_that_is_down_are_still_its_server()
    {
        await using var host = await McpToolHost.StartAsync(new Dictionary<string, string?> { ["Mcp:Servers:broken:Command"] = "/nonexistent/mcp-server" });

        Assert.True(host.Catalogue.TryGet("mcp.broken.echo", out var tool));
        Assert.Equal(["mcp:broken"], tool.Targets(JsonSerializer.SerializeToElement(new { text = "hi" })));
        Assert.Equal(["mcp:broken"], tool.Descriptor.Targets);
    }

    [Fact]
    public void An_unavailable_tool_keeps_the_last_known_descriptor_and_its_targets()
    {
        var schema = JsonSerializer.SerializeToElement(new { type = "object" });
        var lastKnown = new ToolDescriptor("mcp.demo.echo", "Echoes the text back.", schema, RiskLevel.ReadOnly, Idempotent: true, TimeSpan.FromSeconds(30),
            Targets: ["mcp:demo"]);

        var tool = new UnavailableMcpTool("mcp.demo.echo", "demo", "the server process exited", lastKnown, TimeSpan.FromSeconds(30));

        Assert.Same(lastKnown, tool.Descriptor);
        Assert.Equal(["mcp:demo"], tool.Targets(schema));
    }
}
