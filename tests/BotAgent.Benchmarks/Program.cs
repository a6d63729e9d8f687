using System.Globalization;
using BotAgent.Benchmarks;
using BotAgent.Benchmarks.Modes;

// bench/run runs the suite; the suite starts this same program in its other modes as separate processes.
string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

return args.FirstOrDefault() switch
{
    "bare" => await BareTarget.RunAsync(int.Parse(Option("--port", "5080"), CultureInfo.InvariantCulture), args.Contains("--echo"), args.Contains("--full-builder")),
    "sqlite" => await SqliteWrites.RunAsync(args[1], Option("--db", "bench.db"),
        TimeSpan.FromSeconds(double.Parse(Option("--seconds", "3"), CultureInfo.InvariantCulture)), int.Parse(Option("--tasks", "64"), CultureInfo.InvariantCulture)),
    "profile" => await ProfileRun.RunAsync(args.ElementAtOrDefault(1) ?? "ingest",
        TimeSpan.FromSeconds(double.Parse(Option("--seconds", "20"), CultureInfo.InvariantCulture)), double.Parse(Option("--rate", "100"), CultureInfo.InvariantCulture), args.Contains("--perf")),
    _ => await Suite.RunAsync(SuiteOptions.Parse(args)),
};
