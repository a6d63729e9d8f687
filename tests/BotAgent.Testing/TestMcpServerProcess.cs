using System.Diagnostics;

namespace BotAgent.Testing;

/// <summary>
/// tests/BotAgent.TestMcpServer as a separate process. Stdio servers are started by the code under test from
/// <see cref="StdioSettings"/>; an HTTP server is started here and stopped or restarted by the test.
/// </summary>
public sealed class TestMcpServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TestMcpServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The server's build output, next to this test assembly's (same configuration and framework).</summary>
    public static string DllPath { get; } = Locate();

    public Uri Url { get; }

    public static Dictionary<string, string?> StdioSettings(string server) => new()
    {
        [$"Mcp:Servers:{server}:Command"] = "dotnet",
        [$"Mcp:Servers:{server}:Args:0"] = DllPath,
    };

    public static async Task<TestMcpServerProcess> StartHttpAsync(int port = 0)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(DllPath);
        start.ArgumentList.Add("--http");
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        var process = Process.Start(start)!;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                    return new TestMcpServerProcess(process, new Uri(line["LISTENING ".Length..]));
            }
            throw new InvalidOperationException("The test MCP server exited before it listened.");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public void Kill()
    {
        if (_process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Locate()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "BotAgent.sln")))
            root = root.Parent;
        var path = Path.Combine(root?.FullName ?? ".", "tests", "BotAgent.TestMcpServer", "bin", configuration, framework, "BotAgent.TestMcpServer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/BotAgent.TestMcpServer first (the test projects reference it).", path);
    }
}
