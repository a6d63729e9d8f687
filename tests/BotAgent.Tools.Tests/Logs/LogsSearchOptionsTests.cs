using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests.Logs;

/// <summary><c>Tools:Logs</c>: off unless enabled, and a bad setting fails at start naming its key.</summary>
public sealed class LogsSearchOptionsTests
{
    [Fact]
    public void The_tool_is_not_registered_unless_enabled()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Logs:Roots:0"] = "/var/log/app/*.log" });

        Assert.DoesNotContain(host.Tools, t => t.Descriptor.Name == "logs.search");
        host.ValidateAtStart();
    }

    [Fact]
    public void Enabled_without_roots_fails_at_start_naming_the_key()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Logs:Enabled"] = "true" });

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Logs:Roots", error.Message);
    }

    [Theory]
    [InlineData("var/log/*.log", "not an absolute path")]
    [InlineData("/var/log/../../etc/*.log", "'..'")]
    public void A_bad_root_fails_at_start_naming_the_key(string root, string why)
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Logs:Enabled"] = "true", ["Tools:Logs:Roots:0"] = root });

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Logs:Roots:0", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void An_out_of_range_limit_fails_at_start()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Logs:Enabled"] = "true", ["Tools:Logs:Roots:0"] = "/tmp/*.log", ["Tools:Logs:MaxMatches"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("MaxMatches", error.Message);
    }
}
