using BotAgent.Benchmarks.Report;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>
/// (6) Start-up: from process start to the first activity answered 200 (for the bot: a new SQLite file,
/// migrated at start), then resident memory and threads after a few idle seconds.
/// </summary>
internal static class StartupScenario
{
    public static async Task RunAsync(Bench bench)
    {
        var targets = new (string Name, Func<Task<Started>> Start)[]
        {
            ("bare Kestrel endpoint", () => bench.StartBareAsync(echo: false)),
            ("BotAgent", () => bench.StartBotAsync()),
            ("JS SDK echo bot", bench.StartJsEchoAsync),
        };
        var results = targets.ToDictionary(t => t.Name, _ => new List<(double StartMs, double IdleMb, int Threads, double HeapMb)>());
        for (var round = 0; round < bench.Options.StartupRounds; round++)
        {
            foreach (var (name, start) in targets)
            {
                await using var started = await start();
                await Task.Delay(bench.Options.IdleSettle);
                var status = started.Process.Status;
                // Node has no .NET heap to read.
                var heapMb = name.Contains("JS", StringComparison.Ordinal) ? double.NaN : await LiveHeap.MeasureAsync(started.Process.Pid, TimeSpan.FromSeconds(30)) / 1048576.0;
                results[name].Add((started.FirstAccepted.TotalMilliseconds, status.RssMb, status.Threads, heapMb));
                bench.Log($"startup {name}: {started.FirstAccepted.TotalMilliseconds:F0} ms, idle {status.RssMb:F1} MB, {status.Threads} threads");
            }
        }

        var table = new MarkdownTable("Target", "Start → first 200 (ms)", "Idle RSS (MB)", "Threads", "Live .NET heap after full GC (MB)", "Idle RSS vs bare");
        var bare = Stats.Median([.. results[targets[0].Name].Select(r => r.IdleMb)]);
        foreach (var (name, rows) in results)
        {
            var idle = Stats.Median([.. rows.Select(r => r.IdleMb)]);
            table.Add(name, Stats.Range([.. rows.Select(r => r.StartMs)]), Stats.Range([.. rows.Select(r => r.IdleMb)], "N1"),
                Stats.Range([.. rows.Select(r => (double)r.Threads)]), Stats.Range([.. rows.Select(r => r.HeapMb)], "N1"), Stats.Ratio(idle / bare));
        }
        var botIdle = Stats.Median([.. results["BotAgent"].Select(r => r.IdleMb)]);
        bench.Report.Check(7, "Idle RSS ≤ 1.3 × bare Kestrel", $"{Stats.Format(botIdle, "N1")} MB vs {Stats.Format(bare, "N1")} MB = {Stats.Ratio(botIdle / bare)}", "≤ 1.30×", botIdle / bare <= 1.3);
        bench.Report.Section("(6) Start-up and idle memory",
            $"""
            Each target is started {bench.Options.StartupRounds} times as a new process; the suite sends an activity every 5 ms until one is
            answered 200 (BotAgent: a new SQLite file, migrations applied at start). Resident memory (VmRSS) and threads
            are read {bench.Options.IdleSettle.TotalSeconds:0} s later, with nothing else happening, then the live managed heap after a full GC
            (induced over EventPipe). Median (min–max) over starts.

            {table}
            """);
    }
}
