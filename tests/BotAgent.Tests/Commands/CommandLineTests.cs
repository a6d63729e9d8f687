using System.Diagnostics;
using BotAgent.Testing;

namespace BotAgent.Tests.Commands;

/// <summary>The executable's command line, run as a real process: help for every verb, clear refusals, and the bot when no verb is given.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("botagent-commands-");

    [Theory]
    [InlineData("--help", "pack-manifest")]
    [InlineData("help", "export")]
    [InlineData("backup --help", "<file>")]
    [InlineData("pack-manifest --help", "--out <file.zip>")]
    [InlineData("export --help", "--from <time>")]
    [InlineData("export -h", "--run <id>")]
    public async Task Help_describes_the_verbs_and_each_verbs_options(string command, string shown)
    {
        var result = await BotCommand.RunAsync(_temp.FullName, command.Split(' '));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains(shown, result.Output, StringComparison.Ordinal);
        Assert.Empty(_temp.GetFileSystemInfos());
    }

    [Fact]
    public async Task An_unknown_verb_exits_2_and_names_the_verbs()
    {
        var result = await BotCommand.RunAsync(_temp.FullName, "bakup", "copy.db");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown command 'bakup'", result.Error, StringComparison.Ordinal);
        Assert.Contains("backup, pack-manifest, export", result.Error, StringComparison.Ordinal);
        Assert.Empty(_temp.GetFileSystemInfos());
    }

    [Theory]
    [InlineData("pack-manifest --ot app.zip", "'--ot'", "pack-manifest --help")]
    [InlineData("export --run abc --bogus", "'--bogus'", "export --help")]
    [InlineData("pack-manifest --out", "'--out'", "pack-manifest --help")]
    [InlineData("backup", "'file'", "backup --help")]
    [InlineData("backup copy.db extra.db", "unexpected value", "backup --help")]
    public async Task A_bad_or_missing_option_exits_2_names_it_and_points_to_the_verbs_help(string command, string named, string help)
    {
        var result = await BotCommand.RunAsync(_temp.FullName, command.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        Assert.Contains(help, result.Error, StringComparison.Ordinal);
        Assert.Empty(_temp.GetFileSystemInfos());
    }

    [Theory]
    [InlineData("export", "--run", "abc", "Password=hunter2")]
    [InlineData("Password=hunter2")]
    [InlineData("backup", "copy.db", "Host=db;Password=hunter2")]
    [InlineData("export", "--from", "Host=db;Password=hunter2")]
    [InlineData("hunter2")]
    public async Task A_value_out_of_place_is_refused_without_being_repeated(params string[] args)
    {
        // Someone who puts a connection string in the wrong place must not find its password in the terminal's scrollback or a CI log.
        var result = await BotCommand.RunAsync(_temp.FullName, args);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("hunter2", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verb_takes_a_setting_with_a_section_as_two_tokens_like_the_bot()
    {
        var database = Path.Combine(_temp.FullName, "bot.db");

        var result = await BotCommand.RunAsync(_temp.FullName, "export", "--run", "no-such-run", "--ConnectionStrings:BotAgent", $"Data Source={database}");

        // The verb read the setting: it looked for the database it names (and found none, which is its own error).
        Assert.Contains($"no database at {database}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unknown option", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected value", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_verb_the_bot_runs_with_settings_in_any_form_the_configuration_takes()
    {
        var database = Path.Combine(_temp.FullName, "bot.db");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _temp.FullName };
        // "--Key value" (two tokens) is a setting for the bot, as it always was; only the verbs want "--Key=value".
        foreach (var arg in new[] { BotProcess.AssemblyPath(), "--urls", "http://127.0.0.1:0", "--ConnectionStrings:BotAgent", $"Data Source={database}" })
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("BotAgent is listening on", StringComparison.Ordinal) == true) listening.TrySetResult(e.Data); };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var line = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Contains("http://127.0.0.1:", line, StringComparison.Ordinal);
            Assert.True(File.Exists(database), "The bot opened the database named by the two-token setting.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => _temp.Delete(recursive: true);
}
