using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace BotAgent.Playground.Tests;

/// <summary>
/// The Microsoft 365 Agents Playground as a real Node.js process, pointed at the bot as Teams
/// (<c>--channel-id msteams</c>), with no browser of its own and no telemetry. Its output and log file are
/// kept for the test's diagnostics.
/// </summary>
internal sealed partial class PlaygroundProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PlaygroundProcess(Process process, string workingDirectory)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Its working folder: the Playground writes <c>devTools/m365agentsplayground.log</c> here.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Everything it printed so far, stdout and stderr interleaved.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<PlaygroundProcess> StartAsync(Uri botMessagesUri, string workingDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(Prerequisites.NodePath() ?? "node")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Prerequisites.PlaygroundCli,
            "--app-endpoint", botMessagesUri.ToString(),
            "--channel-id", "msteams",
            "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--disable-telemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var playground = new PlaygroundProcess(process, workingDirectory);
        process.OutputDataReceived += (_, e) => playground.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => playground.OnLine(e.Data);
        process.Exited += (_, _) => playground._listening.TrySetException(
            new InvalidOperationException($"The Playground exited before listening:{Environment.NewLine}{playground.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            // It silently takes another port when the one asked for is busy, so the port is read, not assumed.
            var port = await playground._listening.Task.WaitAsync(StartTimeout, cancellationToken);
            playground.BaseUri = new Uri($"http://127.0.0.1:{port}/");
            return playground;
        }
        catch
        {
            await playground.DisposeAsync();
            throw;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
            _listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Listening on (\d+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
    }
}
