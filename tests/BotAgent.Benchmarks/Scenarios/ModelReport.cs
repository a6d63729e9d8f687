using System.Globalization;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Model;
using BotAgent.Benchmarks.Report;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>(8)'s two target rows and its section: the paths' latencies and the model calls that sat on each.</summary>
internal static class ModelReport
{
    public const string Title = "(8) Model overhead";

    public static void Write(Bench bench, IReadOnlyList<(GoalRound Round, ModelPath Path)> goals, IReadOnlyList<ModelApprovalRound> approvals, BenchModel model)
    {
        var o = bench.Options.Model;
        var latency = o.Latency.TotalMilliseconds;
        var bar = latency + o.Allowance.TotalMilliseconds;
        var goalPaths = goals.Select(g => g.Path).ToList();
        var approvalPaths = approvals.Select(a => a.Path).ToList();

        var p99 = Stats.Median([.. goals.Select(g => g.Round.Cards.PercentileMs(0.99))]);
        bench.Report.Check(8, F($"Goal → card p99 at {o.GoalsPerSecond:N0} goals/s, model answering in {latency:N0} ms, ≤ model latency + {o.Allowance.TotalMilliseconds:N0} ms"),
            F($"{Stats.Format(p99, "N1")} ms; per card: {Calls(goalPaths)}"), F($"≤ {bar:N0} ms, one plan call"),
            p99 <= bar && goals.All(g => g.Round.Missing == 0 && g.Path.OnlyExpected));

        var summaryP99 = Stats.Median([.. approvals.Select(a => a.Summary.PercentileMs(0.99))]);
        bench.Report.Check(8, "Approve → summary adds no model wait beyond the summary call",
            F($"per run: {Calls(approvalPaths)}; approve → summary p99 {Stats.Format(summaryP99)} ms"), "only the summary call",
            approvals.All(a => a.Path.OnlyExpected && a.Missing == 0 && a.Failed == 0));

        string P(Func<int, LatencyHistogram> pick, int rounds) =>
            string.Join(" / ", new[] { 0.5, 0.95, 0.99 }.Select(q => Stats.Format(Stats.Median([.. Enumerable.Range(0, rounds).Select(r => pick(r).PercentileMs(q))]), "N1")));
        var paths = new MarkdownTable("Path", "p50 / p95 / p99 (ms)")
            .Add("goal → plan card", P(r => goals[r].Round.Cards, goals.Count))
            .Add("goal → plan card, less the model calls on it", P(r => goals[r].Path.WithoutModel, goals.Count))
            .Add("approve → first step's GET at the target", P(r => approvals[r].Step, approvals.Count))
            .Add("approve → run summary at the channel", P(r => approvals[r].Summary, approvals.Count))
            .Add("approve → run summary, less the model calls on it", P(r => approvals[r].Path.WithoutModel, approvals.Count));

        var calls = new MarkdownTable("Path", "Model call", "Calls per run", "At the model p50 / max (ms)", "Arrived after the goal / click, p50 (ms)");
        AddCalls(calls, "goal → card", goalPaths);
        AddCalls(calls, "approve → summary", approvalPaths);

        var errors = approvals.Sum(a => a.Clicks.Errors) + approvals.Sum(a => a.Failed) + approvals.Sum(a => a.Missing) + goals.Sum(g => g.Round.Missing);
        bench.Report.Section(Title, F($"""
            BotAgent with `Planner:Provider=OpenAI` (otherwise as in (2) and (3)) against the suite's loopback Chat Completions server,
            which answers every request {latency:N0} ms after it arrives: for a plan, the one-step read-only plan the offline planner makes
            for `check <url>` (`http.get` of the suite's target); after a step, `continue` (asked after every step with `Planner:Observe=EachStep`,
            the default with a model); for the summary, a summary with the verdict "met". Goals: `check …` due at {o.GoalsPerSecond:N0}/s for
            {o.GoalDuration.TotalSeconds:0} s (open loop), latency from when each was due to its card at the channel. Approvals: {o.Approvals} plans made
            first, then Bob's Approve clicks due at {o.ApprovalsPerSecond:N0}/s, latency from when each click was due to the run's summary.
            A model call is on a run's path when its request names the run's goal and it was at the model while the path ran;
            "less the model calls" takes their time at the model out of each run's path. Goals for {o.WarmUpGoals.TotalSeconds:0} s at that rate and
            {o.WarmUpRuns} approved runs warm both paths first; median over {goals.Count} round(s) of each round's percentiles. Bot CPU goals {Stats.Range([.. goals.Select(g => g.Round.Usage.Cores)], "N2")},
            approvals {Stats.Range([.. approvals.Select(a => a.Usage.Cores)], "N2")} cores; peak RSS {Stats.Range([.. goals.Select(g => g.Round.Usage.PeakRssMb).Concat(approvals.Select(a => a.Usage.PeakRssMb))])} MB.
            Errors: {goals.Sum(g => g.Round.Missing)} cards missing, {approvals.Sum(a => a.Clicks.Errors)} clicks not answered 2xx, {approvals.Sum(a => a.Failed)} runs failed,
            {approvals.Sum(a => a.Missing)} summaries missing{(errors == 0 ? " (none)" : "")}.

            {paths}
            Model calls on each path:

            {calls}
            {Finding("goal → card", goalPaths, goals.Select(g => g.Round.Cards).ToList())}

            {Finding("approve → summary", approvalPaths, approvals.Select(a => a.Step).ToList())}

            Every request the model answered in the scenario (warm-up included): {string.Join(", ", Enum.GetValues<ModelCallKind>().Select(k => $"{Name(k)} {model.Count(k):N0}"))}.
            """));
    }

    /// <summary>"1.00 plan call (801 ms)" per kind seen on the paths, the expected kind first.</summary>
    private static string Calls(IReadOnlyList<ModelPath> paths) =>
        string.Join(" + ", Seen(paths).Select(k => F($"{Stats.Format(Median(paths, p => p.PerRun(k)), "N2")} {Name(k)} call ({Stats.Format(Median(paths, p => p.Wait(k).PercentileMs(0.5)))} ms)")))
        is { Length: > 0 } text ? text : "no model call";

    private static void AddCalls(MarkdownTable table, string path, IReadOnlyList<ModelPath> paths)
    {
        foreach (var kind in Seen(paths))
        {
            table.Add(path, Name(kind), Stats.Format(Median(paths, p => p.PerRun(kind)), "N2"),
                $"{Stats.Format(Median(paths, p => p.Wait(kind).PercentileMs(0.5)), "N1")} / {Stats.Format(paths.Max(p => p.Wait(kind).MaxMs), "N1")}",
                Stats.Format(Median(paths, p => p.BeganAfter(kind).PercentileMs(0.5)), "N1"));
        }
    }

    /// <summary>Says, in words, which calls besides the expected one held the path up, when they came and what they cost.</summary>
    /// <param name="steps">For the approve path, click → step: the calls that arrive after it came after the step's result.</param>
    private static string Finding(string name, IReadOnlyList<ModelPath> paths, IReadOnlyList<LatencyHistogram> steps)
    {
        var expected = paths[0].Expected;
        var others = Seen(paths).Where(k => k != expected).ToList();
        var runs = paths.Sum(p => p.Runs);
        var only = paths.Sum(p => p.RunsWithOnlyExpected);
        if (others.Count == 0)
        {
            return only == runs
                ? F($"{Cap(name)}: the only model call is the {Name(expected)} call, one per run ({only:N0} of {runs:N0} runs).")
                : F($"{Cap(name)}: **not as expected**: {runs - only:N0} of {runs:N0} runs had no {Name(expected)} call on the path, or more than one.");
        }
        var extra = others.Select(k => F($"{Stats.Format(Median(paths, p => p.PerRun(k)), "N2")} {Name(k)} call(s) per run, {Stats.Format(Median(paths, p => p.Wait(k).PercentileMs(0.5)))} ms each at the model, arriving p50 {Stats.Format(Median(paths, p => p.BeganAfter(k).PercentileMs(0.5)))} ms after the {(expected == ModelCallKind.Plan ? "goal" : "click")}"));
        var waited = others.Sum(k => Median(paths, p => p.PerRun(k) * p.Wait(k).PercentileMs(0.5)));
        var step = expected == ModelCallKind.Summary ? F($" (the step's GET reached the target p50 {Stats.Format(Stats.Median([.. steps.Select(s => s.PercentileMs(0.5))]))} ms after the click)") : "";
        return F($"""
            {Cap(name)}: **more than the {Name(expected)} call**: besides it ({Stats.Format(Median(paths, p => p.PerRun(expected)), "N2")} per run, arriving p50 {Stats.Format(Median(paths, p => p.BeganAfter(expected).PercentileMs(0.5)))} ms after the {(expected == ModelCallKind.Plan ? "goal" : "click")}), each run waited on {string.Join("; ", extra)}{step}.
            They add about {Stats.Format(waited)} ms of model wait to every run's {name} ({only:N0} of {runs:N0} runs had only the {Name(expected)} call).
            """);
    }

    private static IEnumerable<ModelCallKind> Seen(IReadOnlyList<ModelPath> paths) =>
        paths.SelectMany(p => p.Seen).Distinct().OrderBy(k => k != paths[0].Expected).ThenBy(k => k);

    private static double Median(IReadOnlyList<ModelPath> paths, Func<ModelPath, double> pick) => Stats.Median([.. paths.Select(pick)]);

    private static string Name(ModelCallKind kind) => kind switch
    {
        ModelCallKind.Observe => "observe",
        ModelCallKind.Other => "other (repair, revision or unanswered)",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Cap(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
