using BotAgent.Core.Tools;

namespace BotAgent.Tools.Tests.Logs;

/// <summary>Paths outside the roots are refused at plan time (CheckArguments) and again when the tool runs.</summary>
public sealed class LogsSearchRefusalTests : IDisposable
{
    private readonly LogFolder _logs = new();

    public void Dispose() => _logs.Dispose();

    public static TheoryData<string> Escapes => new()
    {
        "/etc/passwd",
        "/etc/*.conf",
        "../secret/passwd.log",
        "../secret/*.log",
        "linked/passwd.log",
        "evil.log",
        "evil-relative.log",
        "notes.txt",
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task A_path_outside_the_roots_is_refused_at_plan_time_and_at_run_time(string path)
    {
        using var host = _logs.Host();
        var tool = host.Tool("logs.search");

        var refusal = Assert.Single(tool.CheckArguments(ToolHost.Args(new { pattern = "root", path })));
        var outcome = await tool.InvokeAsync(ToolHost.Call(new { pattern = "root", path }), default);

        Assert.Matches(@"outside the log roots|'\.\.' segment", refusal);
        Assert.Contains(_logs.AppGlob, refusal); // the message says where the tool may read
        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.StartsWith("Refused: ", outcome.Summary);
        Assert.Equal(refusal, outcome.Error);
        Assert.DoesNotContain(LogFolder.SecretLine, outcome.Output ?? "");
    }

    [Theory]
    [InlineData("../secret/passwd.log")]
    [InlineData("sub/../../secret/passwd.log")]
    [InlineData("./../app/api.log")]
    public void A_path_with_dot_dot_is_refused_even_when_it_would_land_inside(string path)
    {
        using var host = _logs.Host();

        var refusal = Assert.Single(host.Tool("logs.search").CheckArguments(ToolHost.Args(new { pattern = "x", path })));

        Assert.Contains("'..'", refusal);
        Assert.Contains(_logs.AppGlob, refusal);
    }

    [Fact]
    public void An_absolute_path_with_dot_dot_that_climbs_out_of_the_root_is_refused()
    {
        using var host = _logs.Host();
        var path = $"{_logs.App}/../secret/passwd.log";

        var refusal = Assert.Single(host.Tool("logs.search").CheckArguments(ToolHost.Args(new { pattern = "x", path })));

        Assert.Contains("'..'", refusal);
    }

    [Fact]
    public void A_symbolic_link_that_leads_outside_is_refused_as_such()
    {
        using var host = _logs.Host();

        var refusal = Assert.Single(host.Tool("logs.search").CheckArguments(ToolHost.Args(new { pattern = "x", path = Path.Join(_logs.App, "evil.log") })));

        Assert.Contains("symbolic link", refusal);
    }

    [Fact]
    public async Task A_link_swapped_to_point_outside_after_approval_is_refused_when_the_step_runs()
    {
        using var host = _logs.Host();
        var tool = host.Tool("logs.search");
        var path = Path.Join(_logs.App, "rotating.log");
        File.CreateSymbolicLink(path, "worker.log");
        Assert.Empty(tool.CheckArguments(ToolHost.Args(new { pattern = "root", path })));

        File.Delete(path);
        File.CreateSymbolicLink(path, Path.Join(_logs.Secret, "passwd.log"));
        var outcome = await tool.InvokeAsync(ToolHost.Call(new { pattern = "root", path }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Contains("symbolic link", outcome.Error);
        Assert.DoesNotContain(LogFolder.SecretLine, outcome.Output ?? "");
    }

    [Fact]
    public void Missing_pattern_is_refused()
    {
        using var host = _logs.Host();

        Assert.NotEmpty(host.Tool("logs.search").CheckArguments(ToolHost.Args(new { path = "api.log" })));
    }
}
