using BotAgent.Core.Tools;

namespace BotAgent.Tools.Tests.Logs;

/// <summary>Which log roots a <c>logs.search</c> step may read, and the matches it measures, over real files.</summary>
public sealed class LogsSearchTargetsTests : IDisposable
{
    private readonly LogFolder _logs = new();

    public LogsSearchTargetsTests()
    {
        _logs.Write("other/billing.txt", new DateTime(2024, 5, 5, 10, 0, 0, DateTimeKind.Utc), "billing timeout");
    }

    public void Dispose() => _logs.Dispose();

    /// <summary>A second root beside <c>app/*.log</c>: text files in <c>other/</c>.</summary>
    private string OtherGlob => Path.Join(_logs.Root, "other", "*.txt");

    private ToolHost TwoRoots() => _logs.Host(null, _logs.AppGlob, OtherGlob);

    private static IReadOnlyList<string> Targets(ToolHost host, object args) => host.Tool("logs.search").Targets(ToolHost.Args(args));

    private static string Logs(string root) => "logs:" + root;

    [Fact]
    public void Descriptor_targets_are_every_root_as_configured()
    {
        using var host = _logs.Host(null, _logs.AppGlob, OtherGlob, _logs.App + "/");

        Assert.Equal([Logs(_logs.AppGlob), Logs(OtherGlob), Logs(_logs.App + "/")], host.Tool("logs.search").Descriptor.Targets);
    }

    [Fact]
    public void Targets_without_a_path_are_every_root()
    {
        using var host = TwoRoots();

        Assert.Equal([Logs(_logs.AppGlob), Logs(OtherGlob)], Targets(host, new { pattern = "timeout" }));
    }

    [Fact]
    public void Targets_of_an_absolute_path_are_the_roots_it_falls_under()
    {
        using var host = TwoRoots();

        Assert.Equal([Logs(_logs.AppGlob)], Targets(host, new { pattern = "x", path = Path.Join(_logs.App, "worker.log") }));
        Assert.Equal([Logs(OtherGlob)], Targets(host, new { pattern = "x", path = Path.Join(_logs.Root, "other", "billing.txt") }));
        Assert.Equal([Logs(OtherGlob)], Targets(host, new { pattern = "x", path = Path.Join(_logs.Root, "other", "b*.txt") }));
    }

    [Fact]
    public void Targets_of_a_relative_path_are_the_roots_whose_folder_it_names_a_file_of()
    {
        using var host = TwoRoots();

        // Read against each root's folder: app/api.log is a *.log, other/api.log would not be a *.txt.
        Assert.Equal([Logs(_logs.AppGlob)], Targets(host, new { pattern = "x", path = "api.log" }));
        Assert.Equal([Logs(OtherGlob)], Targets(host, new { pattern = "x", path = "billing.txt" }));
    }

    [Fact]
    public void Targets_of_a_relative_pattern_are_every_root_whose_folder_it_searches()
    {
        using var host = TwoRoots();

        Assert.Equal([Logs(_logs.AppGlob), Logs(OtherGlob)], Targets(host, new { pattern = "x", path = "*" }));
    }

    [Fact]
    public void Targets_of_a_file_in_nested_roots_are_every_root_that_matches_it()
    {
        using var host = _logs.Host(null, _logs.Root + "/", _logs.AppGlob);

        Assert.Equal([Logs(_logs.Root + "/"), Logs(_logs.AppGlob)], Targets(host, new { pattern = "x", path = Path.Join(_logs.App, "api.log") }));
        Assert.Equal([Logs(_logs.Root + "/")], Targets(host, new { pattern = "x", path = Path.Join(_logs.App, "notes.txt") }));
    }

    [Fact]
    public void Targets_of_a_pattern_that_descends_into_a_nested_root_include_it()
    {
        using var host = _logs.Host(null, _logs.Root + "/", _logs.AppGlob);

        Assert.Equal([Logs(_logs.Root + "/"), Logs(_logs.AppGlob)], Targets(host, new { pattern = "x", path = _logs.Root + "/**/*.log" }));
        Assert.Equal([Logs(_logs.Root + "/")], Targets(host, new { pattern = "x", path = _logs.Root + "/*.log" }));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../secret/passwd.log")]
    [InlineData("evil.log")]
    [InlineData("linked/passwd.log")]
    public void Targets_of_a_refused_path_are_empty(string path)
    {
        using var host = TwoRoots();

        Assert.Empty(Targets(host, new { pattern = "x", path }));
    }

    [Fact]
    public async Task A_search_measures_the_matching_lines_it_found()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "timeout" }), default);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(new ToolMeasures(Count: 2), outcome.Measures);
    }

    [Fact]
    public async Task A_search_without_matches_measures_zero()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "no such text anywhere" }), default);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(0, outcome.Measures?.Count);
    }

    [Fact]
    public async Task A_search_stopped_at_maxMatches_measures_the_matches_it_kept()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "2024", maxMatches = 3 }), default);

        Assert.Equal(3, outcome.Measures?.Count);
    }

    [Fact]
    public async Task A_refused_search_measures_nothing()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "x", path = "/etc/passwd" }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Null(outcome.Measures);
    }
}
