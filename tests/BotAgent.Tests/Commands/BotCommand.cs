using System.Diagnostics;
using BotAgent.Testing;

namespace BotAgent.Tests.Commands;

/// <summary>The bot's executable run as a real process with a command line, to its end.</summary>
public sealed record BotCommand(int ExitCode, string Output, string Error)
{
    public static Task<BotCommand> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    /// <param name="prepare">Adjusts the process before it starts (its environment, for one).</param>
    public static async Task<BotCommand> RunAsync(string workingDirectory, Action<ProcessStartInfo>? prepare, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(BotProcess.AssemblyPath());
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        prepare?.Invoke(info);

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within 60 s:\n{await stdout}{await stderr}");
        }
        return new BotCommand(process.ExitCode, await stdout, await stderr);
    }
}
