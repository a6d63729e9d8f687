using System.Diagnostics;
using System.Net;

namespace BotAgent.Benchmarks.Targets;

/// <summary>
/// A server under test as its own OS process (its output to a log file, so reading it costs the suite
/// nothing), on a loopback port chosen by the suite.
/// </summary>
internal sealed class TargetProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TargetProcess(string name, Process process, int port, string logPath, long startedAt)
    {
        Name = name;
        _process = process;
        Endpoint = new IPEndPoint(IPAddress.Loopback, port);
        LogPath = logPath;
        StartedAt = startedAt;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public IPEndPoint Endpoint { get; }

    public Uri MessagesUri => new($"http://{Endpoint}/api/messages");

    public string LogPath { get; }

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    public ProcessStatus Status => ProcessStatus.Read(Pid);

    /// <summary>Starts <paramref name="program"/> with its stdout and stderr going to <paramref name="logPath"/>.</summary>
    public static TargetProcess Start(
        string name, string program, IEnumerable<string> arguments, int port, string logPath,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        // exec keeps the pid: the one measured is the server's, not a shell's.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory ?? Path.GetTempPath() };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$BENCH_LOG\" 2>&1");
        info.ArgumentList.Add(program);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["BENCH_LOG"] = logPath;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        return new TargetProcess(name, process, port, logPath, startedAt);
    }

    /// <summary>SIGKILL: no shutdown, no flush, like a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task WaitForExitAsync(TimeSpan timeout) => await _process.WaitForExitAsync().WaitAsync(timeout);

    public string LogTail(int lines = 30)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
