using BotAgent.Testing;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;

namespace BotAgent.Tools.Tests.Mcp;

/// <summary>The tools of a real MCP server in another process, reached over streamable HTTP on loopback.</summary>
public sealed class McpHttpServerTests
{
    private static Dictionary<string, string?> Settings(Uri url) => new()
    {
        ["Mcp:Servers:remote:Url"] = url.ToString(),
        ["Mcp:Servers:remote:Headers:X-Api-Key"] = "test-key",
    };

    [Fact]
    public async Task Tools_are_listed_with_their_risk_and_called()
    {
        await using var server = await TestMcpServerProcess.StartHttpAsync();
        await using var host = await McpToolHost.StartAsync(Settings(server.Url));

        Assert.Equal(RiskLevel.ReadOnly, host.Tool("mcp.remote.echo").Descriptor.Risk);
        Assert.Equal(RiskLevel.High, host.Tool("mcp.remote.delete_all").Descriptor.Risk);
        var outcome = await host.CallAsync("mcp.remote.echo", new { text = "over http" });
        Assert.True(outcome.Succeeded, outcome.Summary);
        Assert.Equal("over http", outcome.Output);
    }

    [Fact]
    public async Task A_restarted_server_gets_a_new_session_and_a_call_meanwhile_fails_clearly()
    {
        await using var server = await TestMcpServerProcess.StartHttpAsync();
        var port = server.Url.Port;
        await using var host = await McpToolHost.StartAsync(Settings(server.Url));
        Assert.True((await host.CallAsync("mcp.remote.echo", new { text = "one" })).Succeeded);

        server.Kill();
        var down = await host.CallAsync("mcp.remote.echo", new { text = "two" });
        Assert.Equal(ToolStatus.Failed, down.Status);
        Assert.StartsWith("MCP server 'remote' ", down.Summary, StringComparison.Ordinal);

        await using var restarted = await TestMcpServerProcess.StartHttpAsync(port);
        await BotAgent.Testing.Eventually.TrueAsync(async () => (await host.CallAsync("mcp.remote.echo", new { text = "three" })).Succeeded,
            "a call to succeed on a new session");
    }

    [Fact]
    public async Task A_server_that_is_not_listening_is_unavailable_with_the_reason()
    {
        await using var host = await McpToolHost.StartAsync(Settings(new Uri("http://127.0.0.1:9/mcp")));

        var outcome = await host.CallAsync("mcp.remote.echo", new { text = "hi" });

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.StartsWith("MCP server 'remote' is unavailable: ", outcome.Summary, StringComparison.Ordinal);
    }
}
