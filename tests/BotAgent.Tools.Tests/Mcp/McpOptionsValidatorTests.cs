using BotAgent.Tools.Mcp;

namespace BotAgent.Tools.Tests.Mcp;

/// <summary>A bad <c>Mcp</c> setting fails at start with the key named.</summary>
public sealed class McpOptionsValidatorTests
{
    private static IEnumerable<string> Problems(string name, McpServerOptions server) =>
        new McpOptionsValidator().Validate(null, new McpOptions { Servers = { [name] = server } }).Failures ?? [];

    [Fact]
    public void A_stdio_server_and_an_http_server_are_valid()
    {
        Assert.Empty(Problems("files", new McpServerOptions { Command = "npx", Args = ["-y", "some-server"] }));
        Assert.Empty(Problems("tickets", new McpServerOptions { Url = new Uri("https://mcp.example.com/mcp") }));
    }

    [Fact]
    public void Both_or_neither_of_command_and_url_is_refused()
    {
        Assert.Contains(Problems("x", new McpServerOptions()), p => p.StartsWith("Mcp:Servers:x: set either Command", StringComparison.Ordinal));
        Assert.Contains(Problems("x", new McpServerOptions { Command = "a", Url = new Uri("http://localhost/mcp") }), p => p.Contains("not both", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_name_with_a_dot_is_refused()
    {
        Assert.Contains(Problems("my.server", new McpServerOptions { Command = "a" }), p => p.StartsWith("Mcp:Servers:my.server: a server name", StringComparison.Ordinal));
    }

    [Fact]
    public void A_url_that_is_not_http_is_refused()
    {
        Assert.Contains(Problems("x", new McpServerOptions { Url = new Uri("ftp://example.com/mcp") }), p => p.StartsWith("Mcp:Servers:x:Url:", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_risk_names_the_tool_key()
    {
        var server = new McpServerOptions { Command = "a", Tools = { ["delete_all"] = new McpToolOptions { Risk = "harmless" } } };

        Assert.Contains(Problems("x", server), p => p == "Mcp:Servers:x:Tools:delete_all:Risk: 'harmless' is not a risk level (read_only, write, high).");
    }

    [Fact]
    public void A_zero_timeout_is_refused()
    {
        Assert.Contains(Problems("x", new McpServerOptions { Command = "a", Timeout = TimeSpan.Zero }), p => p.StartsWith("Mcp:Servers:x:Timeout:", StringComparison.Ordinal));
    }
}
