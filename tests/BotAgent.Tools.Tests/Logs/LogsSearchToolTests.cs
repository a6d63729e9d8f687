using BotAgent.Core.Runs;
using BotAgent.Core.Tools;

namespace BotAgent.Tools.Tests.Logs;

/// <summary><c>logs.search</c> over real files in a temporary folder.</summary>
public sealed class LogsSearchToolTests : IDisposable
{
    private readonly LogFolder _logs = new();

    public void Dispose() => _logs.Dispose();

    private static string Fact(ToolOutcome outcome, string name) => Assert.Single(outcome.Facts ?? [], f => f.Key == name).Value;

    [Fact]
    public void Descriptor_is_read_only_idempotent_takes_the_pattern_first_and_names_the_roots()
    {
        using var host = _logs.Host();
        var descriptor = host.Tool("logs.search").Descriptor;

        Assert.Equal(RiskLevel.ReadOnly, descriptor.Risk);
        Assert.True(descriptor.Idempotent);
        Assert.Equal("pattern", descriptor.PrimaryArgument);
        Assert.Contains(_logs.AppGlob, descriptor.Description);
    }

    [Fact]
    public void The_search_logs_playbook_arguments_are_accepted()
    {
        using var host = _logs.Host();

        Assert.Empty(host.Tool("logs.search").CheckArguments(ToolHost.Args(new { pattern = "timeout" })));
    }

    [Fact]
    public async Task Plain_text_matches_case_insensitively_newest_file_first_with_file_and_line()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "timeout" }), default);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("2 matches in 2 files", outcome.Summary);
        var lines = outcome.Output!.Split('\n');
        Assert.Equal($"{_logs.App}/worker.log:2: 2024-05-02T10:00:01Z ERROR Timeout in job 2", lines[0]);
        Assert.Equal($"{_logs.App}/api.log:2: 2024-05-01T10:00:01Z ERROR timeout talking to db", lines[1]);
        Assert.DoesNotContain("not a log", outcome.Output); // notes.txt is not *.log
        Assert.Equal("2", Fact(outcome, "Matches"));
    }

    [Fact]
    public async Task A_symbolic_link_inside_the_root_that_leads_outside_is_skipped_and_its_target_never_read()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "root:x" }), default);

        Assert.True(outcome.Succeeded);
        Assert.Equal("0 matches in 0 files", outcome.Summary);
        Assert.DoesNotContain(LogFolder.SecretLine, outcome.Output);
        Assert.Contains("2 files skipped: a symbolic link leads outside the log roots", outcome.Output);
    }

    [Fact]
    public async Task A_symbolic_link_to_another_file_inside_the_root_is_read_once()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "job 2" }), default);

        Assert.Equal("1 match in 1 file", outcome.Summary);
    }

    [Fact]
    public async Task Case_sensitive_search_matches_case_exactly()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "Timeout", caseSensitive = true }), default);

        Assert.Equal("1 match in 1 file", outcome.Summary);
        Assert.Contains("worker.log:2:", outcome.Output);
    }

    [Fact]
    public async Task Regex_search_matches_the_expression()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = @"^\S+ (ERROR|WARN) \w+ (request|talking)", regex = true }), default);

        Assert.Equal("2 matches in 1 file", outcome.Summary);
        Assert.Contains("api.log:2:", outcome.Output);
        Assert.Contains("api.log:3:", outcome.Output);
    }

    [Fact]
    public void An_invalid_regular_expression_is_refused_at_plan_time()
    {
        using var host = _logs.Host();

        var refusal = Assert.Single(host.Tool("logs.search").CheckArguments(ToolHost.Args(new { pattern = "(unclosed", regex = true })));

        Assert.Contains("is not a valid regular expression", refusal);
    }

    [Fact]
    public async Task A_catastrophic_regular_expression_fails_at_the_regex_timeout()
    {
        using var host = _logs.Host(new Dictionary<string, string?> { ["Tools:Logs:RegexTimeout"] = "00:00:00.010" });
        _logs.Write("app/aaa.log", new DateTime(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc), new string('a', 40) + "!");

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "(a+)+$", regex = true }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.Contains("Tools:Logs:RegexTimeout", outcome.Error);
    }

    [Fact]
    public async Task Matches_stop_at_maxMatches_and_say_so()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "2024", maxMatches = 3 }), default);

        Assert.Equal("3 matches in 2 files (limit reached)", outcome.Summary);
        Assert.Contains("stopped at 3 matches", outcome.Output);
    }

    [Fact]
    public async Task Configured_MaxMatches_caps_what_a_step_asks_for()
    {
        using var host = _logs.Host(new Dictionary<string, string?> { ["Tools:Logs:MaxMatches"] = "2" });

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "2024", maxMatches = 50 }), default);

        Assert.Equal("2", Fact(outcome, "Matches"));
    }

    [Fact]
    public async Task Bytes_read_stop_at_MaxBytes_and_say_so()
    {
        using var host = _logs.Host(new Dictionary<string, string?> { ["Tools:Logs:MaxBytes"] = "1024" });
        var lines = Enumerable.Range(1, 1000).Select(i => $"line {i} padding padding padding").Append("needle at the end").ToArray();
        _logs.Write("app/big.log", new DateTime(2024, 7, 1, 0, 0, 0, DateTimeKind.Utc), lines);

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "needle" }), default);

        Assert.True(outcome.Succeeded);
        Assert.Equal("0 matches in 0 files (limit reached)", outcome.Summary);
        Assert.Equal("1024", Fact(outcome, "Bytes read"));
        Assert.Contains("Tools:Logs:MaxBytes", outcome.Output);
    }

    [Fact]
    public async Task A_line_longer_than_MaxLineChars_is_cut_when_shown()
    {
        using var host = _logs.Host(new Dictionary<string, string?> { ["Tools:Logs:MaxLineChars"] = "40" });
        _logs.Write("app/long.log", new DateTime(2024, 7, 1, 0, 0, 0, DateTimeKind.Utc), "needle " + new string('x', 500));

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "needle" }), default);

        Assert.EndsWith(": needle " + new string('x', 33) + "…", outcome.Output!.Split('\n')[0]);
    }

    [Fact]
    public async Task A_path_relative_to_the_root_folder_narrows_the_search()
    {
        using var host = _logs.Host();

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "timeout", path = "api*.log" }), default);

        Assert.Equal("1 match in 1 file", outcome.Summary);
        Assert.Contains("api.log:2:", outcome.Output);
    }

    [Fact]
    public async Task An_absolute_path_inside_the_root_is_searched()
    {
        using var host = _logs.Host();
        var path = Path.Join(_logs.App, "worker.log");

        Assert.Empty(host.Tool("logs.search").CheckArguments(ToolHost.Args(new { pattern = "job", path })));
        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "job", path }), default);

        Assert.Equal("2 matches in 1 file", outcome.Summary);
    }

    [Fact]
    public async Task A_folder_root_searches_every_file_beneath_it_but_not_through_a_linked_folder_that_leads_out()
    {
        using var host = _logs.Host(null, _logs.App);

        var outcome = await host.Tool("logs.search").InvokeAsync(ToolHost.Call(new { pattern = "timeout" }), default);

        Assert.True(outcome.Succeeded);
        Assert.Contains("notes.txt:1:", outcome.Output);
        Assert.DoesNotContain(LogFolder.SecretLine, outcome.Output);
    }
}
