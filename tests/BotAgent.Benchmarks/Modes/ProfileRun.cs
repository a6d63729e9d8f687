using System.Diagnostics;
using System.Globalization;
using BotAgent.Benchmarks.Load;

namespace BotAgent.Benchmarks.Modes;

/// <summary>
/// Load on one bot while dotnet-counters and dotnet-trace (sampled thread time) record it, for finding
/// what is in the way before optimising: <c>profile ingest</c> (help messages, 64 connections, closed
/// loop) or <c>profile goals</c> (goals at a fixed rate, default 100/s). Files go to bench/results/.
/// Needs <c>dotnet tool install --global dotnet-counters</c> and <c>dotnet-trace</c>; with <c>--perf</c>,
/// Linux perf samples CPU instead (native SQLite and the kernel included; JIT frames named via perf maps).
/// </summary>
internal static class ProfileRun
{
    public static async Task<int> RunAsync(string kind, TimeSpan duration, double rate, bool perf)
    {
        await using var bench = await Bench.StartAsync(new SuiteOptions());
        var output = Path.Combine(bench.Repository, "bench", "results", $"profile-{kind}-{TimeProvider.System.GetUtcNow():yyyyMMddTHHmmss}");
        Directory.CreateDirectory(output);
        await using var bot = await bench.StartBotAsync(environment: perf ? new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" } : null);
        var process = bot.Process;
        bench.Log($"bot pid {process.Pid}, log {process.LogPath}; warming up");
        await LoadAsync(bench, process, kind, TimeSpan.FromSeconds(3), rate);

        var span = ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var pid = process.Pid.ToString(CultureInfo.InvariantCulture);
        var tools = perf
            ? new List<Process> { Tool("perf", ["record", "-F", "499", "-g", "-p", pid, "-o", Path.Combine(output, "perf.data"), "--", "sleep", span]) }
            : new List<Process>
        {
            Tool("dotnet-counters", ["collect", "-p", process.Pid.ToString(CultureInfo.InvariantCulture), "--format", "csv", "-o", Path.Combine(output, "counters.csv"),
                "--refresh-interval", "1", "--duration", $"00:00:00:{span}",
                "--counters", "System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft-AspNetCore-Server-Kestrel,System.Net.Http"]),
            Tool("dotnet-trace", ["collect", "-p", process.Pid.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time",
                "--format", "Speedscope", "--duration", $"00:00:00:{span}", "-o", Path.Combine(output, "trace.nettrace")]),
        };
        await Task.Delay(1000);
        await using var watch = Targets.ProcessWatch.Start(process.Pid);
        var load = await LoadAsync(bench, process, kind, duration - TimeSpan.FromSeconds(1), rate);
        var usage = await watch.StopAsync();
        foreach (var tool in tools)
            await tool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        bench.Log($"{kind}: {load.OkPerSecond:N0}/s answered, p99 {load.Latency.PercentileMs(0.99):F1} ms, errors {load.Errors}; bot {usage.Cores:F2} cores, peak {usage.PeakRssMb:F0} MB, {usage.PeakThreads} threads");
        bench.Log($"files in {output} (bot log {process.LogPath})");
        return 0;
    }

    private static Task<LoadResult> LoadAsync(Bench bench, Targets.TargetProcess bot, string kind, TimeSpan duration, double rate)
    {
        var tag = bench.NewTag();
        if (kind == "ingest")
            return LoadGenerator.ClosedAsync(bot.Endpoint, bench.Payloads.Message(bot.MessagesUri, tag, "help"), 64, long.MaxValue, duration, null, CancellationToken.None);
        bench.Channel.Track(tag, (int)(rate * duration.TotalSeconds) + 1);
        return LoadGenerator.OpenAsync(bot.Endpoint, bench.Payloads.Goal(bot.MessagesUri, tag), 64, rate, (long)(rate * duration.TotalSeconds), null, CancellationToken.None);
    }

    private static Process Tool(string name, string[] arguments)
    {
        var path = new[] { Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", name) }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)))
            .FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{name} is not installed: dotnet tool install --global {name}");
        return Process.Start(new ProcessStartInfo(path, arguments) { UseShellExecute = false })!;
    }
}
