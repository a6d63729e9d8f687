using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace BotAgent.Testing;

/// <summary>
/// The bot as a separate OS process (the built <c>BotAgent.dll</c>), for tests that kill it (SIGKILL),
/// stop it (SIGTERM) or run several instances side by side.
/// </summary>
public sealed partial class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BotProcess(Process process) => _process = process;

    public Uri BaseUri { get; private set; } = null!;

    public Uri MessagesUri => new(BaseUri, "api/messages");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    [GeneratedRegex(@"BotAgent is listening on (?<url>http://[^\s/]+)/api/messages")]
    private static partial Regex ListeningLine();

    /// <param name="settings">Configuration as command-line overrides.</param>
    /// <param name="assemblyPath">Another build of the bot (the chaos harness's deliberately broken ones); the solution's by default.</param>
    public static async Task<BotProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan? timeout = null, string? assemblyPath = null)
    {
        var bot = Launch(settings, assemblyPath);
        await bot.WaitUntilListeningAsync(timeout);
        return bot;
    }

    /// <summary>
    /// Starts the process without waiting for it to listen, for a start that has to wait for something first (a
    /// database that is not reachable yet); <see cref="WaitUntilListeningAsync"/> then waits for it.
    /// </summary>
    public static BotProcess Launch(IReadOnlyDictionary<string, string?> settings, string? assemblyPath = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(assemblyPath ?? AssemblyPath());
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var (key, value) in settings)
            info.ArgumentList.Add($"--{key}={value}");
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var bot = new BotProcess(process);
        process.OutputDataReceived += (_, e) => bot.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => bot.OnLine(e.Data);
        process.Exited += (_, _) => bot._listening.TrySetException(new InvalidOperationException("The bot process exited:\n" + bot.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>Waits until the bot says where it listens (which sets <see cref="BaseUri"/>); throws if it exits first.</summary>
    public async Task WaitUntilListeningAsync(TimeSpan? timeout = null) =>
        BaseUri = await _listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>SIGKILL: no shutdown, no cleanup, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host's graceful shutdown.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
            _listening.TrySetResult(new Uri(match.Groups["url"].Value + "/"));
    }

    /// <summary>The host's build output next to this test build (same configuration).</summary>
    public static string AssemblyPath()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // …/bin/{Configuration}/net10.0
        var path = Path.Combine(RepositoryRoot(), "src", "BotAgent", "bin", configuration, "net10.0", "BotAgent.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the bot's assembly is missing.", path);
    }

    /// <summary>The folder holding BotAgent.sln, above this build's output.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BotAgent.sln")))
            directory = directory.Parent;
        return directory?.FullName
            ?? throw new InvalidOperationException("Cannot find the repository root (BotAgent.sln) above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await KillAsync();
        _process.Dispose();
    }
}
