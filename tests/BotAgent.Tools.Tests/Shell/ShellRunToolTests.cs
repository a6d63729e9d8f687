using System.Globalization;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Testing;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests.Shell;

/// <summary><c>shell.run</c> starting real processes.</summary>
public sealed class ShellRunToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("botagent-shell-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ToolHost Host(IReadOnlyDictionary<string, string?>? extra = null, params string[] allowed)
    {
        var settings = new Dictionary<string, string?> { ["Tools:Http:Enabled"] = "false", ["Tools:Shell:Enabled"] = "true", ["Tools:Shell:Path"] = "/usr/bin:/bin" };
        var list = allowed.Length == 0 ? ["/bin/echo"] : allowed;
        for (var i = 0; i < list.Length; i++)
            settings[$"Tools:Shell:AllowedExecutables:{i}"] = list[i];
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return ToolHost.Create(settings);
    }

    private static Task<ToolOutcome> Run(ToolHost host, string executable, params string[] args) =>
        host.Tool("shell.run").InvokeAsync(ToolHost.Call(new { executable, args }), default);

    [Fact]
    public void Shell_is_off_by_default()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Shell:AllowedExecutables:0"] = "/bin/echo" });

        Assert.DoesNotContain(host.Tools, t => t.Descriptor.Name == "shell.run");
    }

    [Fact]
    public void Descriptor_is_high_risk_and_not_idempotent()
    {
        using var host = Host();
        var descriptor = host.Tool("shell.run").Descriptor;

        Assert.Equal(RiskLevel.High, descriptor.Risk);
        Assert.False(descriptor.Idempotent);
        Assert.False(descriptor.IsRetrySafe);
        Assert.Equal("executable", descriptor.PrimaryArgument);
    }

    [Fact]
    public async Task An_allowed_program_runs_with_its_arguments_passed_literally()
    {
        using var host = Host();

        var outcome = await Run(host, "/bin/echo", "hello", "; rm -rf /", "$HOME", "`id`", "*", "a b");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("hello ; rm -rf / $HOME `id` * a b", outcome.Output);
        Assert.StartsWith("exit 0 in ", outcome.Summary);
        Assert.Contains(outcome.Facts!, f => f.Key == "Exit code" && f.Value == "0");
    }

    [Fact]
    public async Task An_allowed_name_is_found_in_the_configured_path()
    {
        using var host = Host(null, "echo");

        var outcome = await Run(host, "echo", "by name");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("by name", outcome.Output);
        Assert.Contains(outcome.Facts!, f => f.Key == "Executable" && f.Value.EndsWith("/echo", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/bin/sh")]
    [InlineData("sh")]
    [InlineData("/bin/../bin/sh")]
    [InlineData("/bin/../bin/echo")]
    [InlineData("../../bin/echo")]
    [InlineData("./echo")]
    [InlineData("bash")]
    public async Task A_program_not_on_the_allow_list_is_refused_at_plan_time_and_at_run_time(string executable)
    {
        using var host = Host();
        var tool = host.Tool("shell.run");
        var marker = Path.Join(_folder, "ran");

        var refusal = Assert.Single(tool.CheckArguments(ToolHost.Args(new { executable, args = new[] { "-c", $"touch {marker}" } })));
        var outcome = await tool.InvokeAsync(ToolHost.Call(new { executable, args = new[] { "-c", $"touch {marker}" } }), default);

        Assert.Equal($"executable '{executable}' is not allowed (Tools:Shell:AllowedExecutables: /bin/echo)", refusal);
        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Equal("Refused: " + refusal, outcome.Summary);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("/bin/echo", "/bin/echo")]
    [InlineData("/bin/echo", "echo")]
    public void Targets_of_an_allowed_program_is_the_path_it_runs_from(string allowed, string executable)
    {
        using var host = Host(null, allowed);

        Assert.Equal(["exec:/bin/echo"], host.Tool("shell.run").Targets(ToolHost.Args(new { executable, args = new[] { "hi" } })));
    }

    [Fact]
    public void Targets_of_a_name_found_in_the_configured_path_is_where_it_was_found()
    {
        using var host = Host(null, "echo");
        var found = new[] { "/usr/bin/echo", "/bin/echo" }.First(File.Exists); // Tools:Shell:Path is /usr/bin:/bin

        Assert.Equal(["exec:" + found], host.Tool("shell.run").Targets(ToolHost.Args(new { executable = "echo" })));
    }

    [Theory]
    [InlineData("""{"executable":"/bin/sh"}""")]
    [InlineData("""{"executable":"sh"}""")]
    [InlineData("""{"executable":"/bin/../bin/echo"}""")]
    [InlineData("""{"executable":"./echo"}""")]
    [InlineData("""{"executable":7}""")]
    [InlineData("""{"args":["hi"]}""")]
    [InlineData("[]")]
    public void Targets_of_a_program_that_is_not_allowed_are_empty(string json)
    {
        using var host = Host();

        Assert.Empty(host.Tool("shell.run").Targets(System.Text.Json.JsonDocument.Parse(json).RootElement));
    }

    [Fact]
    public void Descriptor_targets_are_every_allowed_program_by_path_in_order()
    {
        using var host = Host(null, "/bin/ls", "/bin/echo");

        Assert.Equal(["exec:/bin/echo", "exec:/bin/ls"], host.Tool("shell.run").Descriptor.Targets);
    }

    [Fact]
    public async Task A_run_measures_nothing()
    {
        using var host = Host();

        var outcome = await Run(host, "/bin/echo", "42");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Null(outcome.Measures);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_code_and_standard_error()
    {
        using var host = Host(null, "/bin/ls");

        var outcome = await Run(host, "ls", Path.Join(_folder, "missing"));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.StartsWith("exit 2 in ", outcome.Summary);
        Assert.Equal("ls exited with code 2", outcome.Error);
        Assert.Contains("--- stderr ---", outcome.Output);
        Assert.Contains("No such file or directory", outcome.Output);
    }

    [Fact]
    public async Task The_environment_and_working_directory_come_only_from_configuration()
    {
        Environment.SetEnvironmentVariable("BOTAGENT_SHELL_TEST_LEAK", "leaked-secret");
        using var host = Host(new Dictionary<string, string?>
        {
            ["Tools:Shell:WorkingDirectory"] = _folder,
            ["Tools:Shell:Environment:GREETING"] = "hello",
        }, "/usr/bin/env", "/bin/pwd");

        var env = await Run(host, "env");
        var pwd = await Run(host, "pwd");

        Assert.Equal(["GREETING=hello", "PATH=/usr/bin:/bin"], env.Output!.Split('\n').Order(StringComparer.Ordinal));
        Assert.Equal(_folder, pwd.Output);
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_dropped_and_the_program_is_not_blocked()
    {
        using var host = Host(new Dictionary<string, string?> { ["Tools:Shell:MaxOutputBytes"] = "1024" }, "/usr/bin/head");

        var outcome = await Run(host, "head", "-c", "1000000", "/dev/zero");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Contains("1,000,000 bytes of output (truncated)", outcome.Summary);
        Assert.Contains("(output cut at 1,024 characters of 1,000,000 bytes)", outcome.Output);
    }

    [Fact]
    public async Task A_program_that_runs_too_long_is_killed_with_everything_it_started()
    {
        // /bin/sh is allowed here only to start a child process whose end the test can observe.
        using var host = Host(new Dictionary<string, string?> { ["Tools:Shell:Timeout"] = "00:00:01" }, "/bin/sh");
        var pidFile = Path.Join(_folder, "child.pid");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await Run(host, "sh", "-c", $"sleep 60 & echo $! > {pidFile}; echo started; wait");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.StartsWith("Timed out: /bin/sh ran longer than 1 s (Tools:Shell:Timeout)", outcome.Summary);
        Assert.Equal("started", outcome.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the step took {clock.Elapsed}");
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => !IsRunning(child), "the child process to be killed", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelling_the_step_kills_the_program()
    {
        using var host = Host(null, "/bin/sh");
        var pidFile = Path.Join(_folder, "self.pid");
        using var cts = new CancellationTokenSource();

        var run = host.Tool("shell.run").InvokeAsync(ToolHost.Call(new { executable = "sh", args = new[] { "-c", $"echo $$ > {pidFile}; exec sleep 60" } }), cts.Token);
        await Eventually.TrueAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, "the program to start");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => !IsRunning(pid), "the program to be killed", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Enabled_with_a_program_that_does_not_exist_fails_at_start_naming_the_key()
    {
        using var host = Host(null, "/bin/echo", "/opt/nowhere/tool", "no-such-program-xyz");

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Shell:AllowedExecutables:1", error.Message);
        Assert.Contains("Tools:Shell:AllowedExecutables:2: 'no-such-program-xyz' was not found in Tools:Shell:Path", error.Message);
    }

    [Fact]
    public void Enabled_without_programs_fails_at_start()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Shell:Enabled"] = "true" });

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Shell:AllowedExecutables", error.Message);
    }

    // A killed child whose parent is gone may linger as a zombie until something reaps it: that is not running.
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
            return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z') is false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
