using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using BotAgent.Benchmarks.Scenarios;
using BotAgent.Benchmarks.Targets;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks;

/// <summary>Runs the scenarios in order and writes the results file.</summary>
internal static class Suite
{
    public static async Task<int> RunAsync(SuiteOptions options)
    {
        await using var bench = await Bench.StartAsync(options);
        await PrepareAsync(bench);
        // What was measured: the commit, and whether src/ held changes not in it (bench/run builds the working tree).
        var revision = await OutputOfAsync("git", ["-C", bench.Repository, "rev-parse", "--short", "HEAD"]);
        var dirty = (await OutputOfAsync("git", ["-C", bench.Repository, "status", "--porcelain", "--", "src"])).Length > 0;
        var started = TimeProvider.System.GetUtcNow();
        var clock = Stopwatch.StartNew();
        bench.Log($"work directory {bench.WorkDirectory}; test channel {bench.Channel.ServiceUrl}");

        await StepAsync(bench, "startup", "(6) Start-up and idle memory", () => StartupScenario.RunAsync(bench));
        await StepAsync(bench, "trace", "(4) Trace-event writes", () => TraceWriteScenario.RunAsync(bench));
        var jsEcho = double.NaN;
        await StepAsync(bench, "ingest", "(1) Ingest", async () => jsEcho = (await IngestScenario.RunAsync(bench)).MedianRate(IngestScenario.JsEcho));
        // (2) and (3) share one bot, started by whichever runs first.
        Started? bot = null;
        try
        {
            await StepAsync(bench, "goals", "(2) Goal → plan card", async () => await GoalScenario.RunAsync(bench, bot ??= await bench.StartBotAsync(), jsEcho));
            await StepAsync(bench, "approvals", "(3) Approval → first step started", async () => await ApprovalScenario.RunAsync(bench, bot ??= await bench.StartBotAsync()));
        }
        finally
        {
            if (bot is not null)
                await bot.DisposeAsync();
        }
        await StepAsync(bench, "concurrent", "(5) Runs awaiting approval", () => ConcurrentRunsScenario.RunAsync(bench));
        await StepAsync(bench, "model", ModelReport.Title, () => ModelScenario.RunAsync(bench));
        await StepAsync(bench, "grown", GrowthReport.Title, () => GrowthScenario.RunAsync(bench));

        var output = options.Output ?? Path.Combine(bench.Repository, "docs", "benchmarks.md");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var header = Header(options, started, clock.Elapsed, revision + (dirty ? " plus uncommitted changes in src/" : ""));
        var profilePath = Path.Combine(bench.Repository, "bench", "profile.md");
        var profile = File.Exists(profilePath) ? await File.ReadAllTextAsync(profilePath) : null;
        await File.WriteAllTextAsync(output, bench.Report.ToMarkdown(header, await MachineAsync(bench), profile));
        bench.Log($"wrote {output}");
        foreach (var check in bench.Report.Checks)
            Console.WriteLine($"{(check.Pass ? "PASS" : "FAIL")}  {check.Target}: {check.Measured} (bar {check.Bar})");
        return 0;
    }

    /// <summary>What bench/run does first, for a run started with <c>dotnet run</c>: the bot's Release build and the npm peer.</summary>
    private static async Task PrepareAsync(Bench bench)
    {
        if (!File.Exists(bench.BotAssembly))
            await RunToolAsync(bench, "dotnet", ["build", Path.Combine(bench.Repository, "src", "BotAgent"), "-c", "Release", "-nologo", "-v", "quiet"]);
        if (!Directory.Exists(Path.Combine(bench.JsEchoDirectory, "node_modules", "botbuilder")))
            await RunToolAsync(bench, "npm", ["ci", "--prefix", bench.JsEchoDirectory, "--no-audit", "--no-fund", "--loglevel=error"]);
    }

    private static async Task RunToolAsync(Bench bench, string program, string[] arguments)
    {
        bench.Log($"{program} {string.Join(' ', arguments)}");
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}).");
    }

    /// <summary>A scenario that breaks is reported as such; the others still run.</summary>
    private static async Task StepAsync(Bench bench, string key, string title, Func<Task> scenario)
    {
        if (!bench.Options.Runs(key))
            return;
        bench.Log($"== {title}");
        try
        {
            await scenario();
        }
        catch (Exception ex)
        {
            bench.Log($"{title} failed: {ex}");
            bench.Report.Check(9, title, "the scenario did not finish: " + ex.Message.ReplaceLineEndings(" "), "runs", false);
            bench.Report.Section(title, $"The scenario did not finish:\n\n```\n{ex}\n```");
        }
    }

    private static string Header(SuiteOptions options, DateTimeOffset started, TimeSpan took, string revision) => string.Create(CultureInfo.InvariantCulture, $"""
        Written by `bash bench/run` on {started:yyyy-MM-dd HH:mm} UTC for commit {revision}; the run took {took.TotalMinutes:F1} minutes{(options.BotSettings.Count > 0 ? ", bot settings " + string.Join(", ", options.BotSettings.Select(b => $"`{b}`")) : "")}{(options.Quick ? " (**--quick**: a smoke run, numbers not representative)" : "")}.
        Every target is on this machine's loopback,
        started by the suite as its own process: (a) a bare Kestrel endpoint that parses the activity JSON and answers
        200, (b) BotAgent (Release build, its default SQLite store in a new file, the offline planner, default settings),
        (c) the Bot Framework JS SDK echo bot (npm `botbuilder` 4.23.3, CloudAdapter, restify, as the SDK's sample), and
        for reference a minimal .NET echo bot. The suite's own loopback Connector API answers every Connector call, and
        its load generator (raw keep-alive HTTP/1.1, {options.Connections} connections) shares the two cores with them. Targets are
        ratios within this run; median (min–max) over rounds unless a row says otherwise.
        """);

    private static async Task<string> MachineAsync(Bench bench)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memoryKb = long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(':', 2)[1].Trim().TrimEnd('k', 'B').Trim(), CultureInfo.InvariantCulture);
        var memory = string.Create(CultureInfo.InvariantCulture, $"{memoryKb / 1048576.0:F1} GiB");
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "Linux"
            : RuntimeInformation.OSDescription;
        string sqlite;
        await using (var connection = new SqliteConnection("Data Source=:memory:"))
            sqlite = await connection.ExecuteScalarAsync<string>("SELECT sqlite_version();") ?? "?";
        var node = await OutputOfAsync("node", ["--version"]);
        return string.Create(CultureInfo.InvariantCulture, $"""
            | | |
            |---|---|
            | CPU | {cpu}, {Environment.ProcessorCount} cores |
            | Memory | {memory} |
            | OS | {os}, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()} |
            | .NET | {RuntimeInformation.FrameworkDescription} (server GC in every .NET target) |
            | Node.js | {node} |
            | SQLite | {sqlite} (Microsoft.Data.Sqlite) |
            """);
    }

    private static async Task<string> OutputOfAsync(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text.Trim();
    }
}
