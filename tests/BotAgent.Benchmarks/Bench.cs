using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BotAgent.Benchmarks.Connector;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Report;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks;

/// <summary>What every scenario shares: the bounds, the test channel, the payloads, the report, and how to start each target.</summary>
internal sealed class Bench : IAsyncDisposable
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private int _tags;
    private int _targets;

    private Bench(SuiteOptions options, BenchChannel channel, string repository)
    {
        Options = options;
        Channel = channel;
        Repository = repository;
        Payloads = new Payloads(channel.ServiceUrl, channel.ServiceUrl + "/health");
        Directory.CreateDirectory(WorkDirectory);
    }

    public SuiteOptions Options { get; }
    public BenchChannel Channel { get; }
    public Payloads Payloads { get; }
    public BenchReport Report { get; } = new();
    public string Repository { get; }
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "botagent-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    public string BotAssembly => Path.Combine(Repository, "src", "BotAgent", "bin", "Release", "net10.0", "BotAgent.dll");
    public string JsEchoDirectory => Path.Combine(Repository, "tests", "BotAgent.Benchmarks", "js-echo");

    public static async Task<Bench> StartAsync(SuiteOptions options)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BotAgent.sln")))
            directory = directory.Parent;
        if (directory is null)
            throw new InvalidOperationException("Cannot find the repository (BotAgent.sln) above " + AppContext.BaseDirectory);
        return new Bench(options, await BenchChannel.StartAsync(), directory.FullName);
    }

    /// <summary>A fresh 3-character id prefix, so each round's activities and replies are told apart.</summary>
    public string NewTag()
    {
        var n = Interlocked.Increment(ref _tags);
        return string.Create(CultureInfo.InvariantCulture, $"{(char)('a' + (n / 100 % 26))}{n % 100:D2}");
    }

    public void Log(string message) =>
        Console.WriteLine($"[{Stopwatch.GetElapsedTime(_start).TotalSeconds,6:F1}s] {message}");

    public string NewDatabase() =>
        Path.Combine(WorkDirectory, $"botagent-{Interlocked.Increment(ref _targets)}.db");

    /// <summary>The bare Kestrel endpoint (<paramref name="echo"/>: the minimal .NET echo bot), ready to serve.</summary>
    public Task<Started> StartBareAsync(bool echo)
    {
        var port = FreePort();
        string[] arguments = [typeof(Bench).Assembly.Location, "bare", "--port", port.ToString(CultureInfo.InvariantCulture), .. echo ? ["--echo"] : Array.Empty<string>()];
        return ReadyAsync(TargetProcess.Start(echo ? "dotnet-echo" : "bare", "dotnet", arguments, port, LogPath(echo ? "dotnet-echo" : "bare")));
    }

    /// <summary>BotAgent (Release build) with a new SQLite file, the offline planner and default settings.</summary>
    public Task<Started> StartBotAsync(string? database = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        database ??= NewDatabase();
        string[] arguments =
        [
            BotAssembly,
            $"--urls=http://127.0.0.1:{port}",
            $"--ConnectionStrings:BotAgent=Data Source={database}",
            // The steps GET the suite's loopback target; the http tool allows loopback only when listed.
            "--Tools:Http:AllowedHosts:0=127.0.0.1",
            // Every goal comes from one synthetic requester in few conversations: the per-person and per-conversation
            // limits (Limits:*, tested in LimitTests) would measure themselves, not the bot.
            "--Limits:GoalsPerPersonPerMinute=0",
            "--Limits:AwaitingApprovalPerConversation=0",
            .. Options.BotSettings.Select(setting => "--" + setting),
        ];
        return ReadyAsync(TargetProcess.Start("botagent", "dotnet", arguments, port, LogPath("botagent"), environment, WorkDirectory), database);
    }

    /// <summary>The Bot Framework JS SDK echo bot (botbuilder, CloudAdapter, restify) on node.</summary>
    public Task<Started> StartJsEchoAsync()
    {
        var port = FreePort();
        var environment = new Dictionary<string, string> { ["PORT"] = port.ToString(CultureInfo.InvariantCulture), ["NODE_ENV"] = "production" };
        return ReadyAsync(TargetProcess.Start("js-echo", "node", [Path.Combine(JsEchoDirectory, "index.js")], port, LogPath("js-echo"), environment, JsEchoDirectory));
    }

    private async Task<Started> ReadyAsync(TargetProcess process, string? database = null)
    {
        try
        {
            var probe = Payloads.Message(process.MessagesUri, "zzz", "help");
            var ready = await LoadGenerator.FirstOkAsync(process.Endpoint, probe, process.StartedAt, TimeSpan.FromSeconds(60), CancellationToken.None);
            return new Started(process, ready, database);
        }
        catch
        {
            Log($"{process.Name} did not start; its log ends with:\n{process.LogTail()}");
            await process.DisposeAsync();
            throw;
        }
    }

    private string LogPath(string name) =>
        Path.Combine(WorkDirectory, $"{name}-{Interlocked.Increment(ref _targets)}.log");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Channel.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
