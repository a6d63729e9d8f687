using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Channels.Tests.BotFramework;

/// <summary>Views as the reporter builds them, for rendering tests.</summary>
internal static class SampleViews
{
    public const string RunId = "0197a3c2d6e47c1b9f1e2d3c4b5a6978";
    public const string PlanHash = "9f86d081884c7d65";

    public static readonly DateTimeOffset At = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A plan card with one step in every step state, decisions of both kinds and result summaries.</summary>
    public static PlanCardView Plan(RunStatus status, bool acceptsDecisions, int stepCount = 0, int titleLength = 0)
    {
        var states = Enum.GetValues<StepState>();
        var steps = stepCount == 0
            ? states.Select((state, i) => new StepView(
                i + 1, $"s{i + 1}", $"Step in state {state.ToWire()}", "http.get", "url=https://example.com/health · headers={1}",
                i % 3 == 0 ? RiskLevel.ReadOnly : i % 3 == 1 ? RiskLevel.Write : RiskLevel.High,
                state, state is StepState.Pending or StepState.Skipped ? null : $"HTTP 200 OK in {i} ms",
                "https://example.com", i % 2 == 0 ? "expects HTTP 2xx" : null)).ToList()
            : [.. Enumerable.Range(1, stepCount).Select(i => new StepView(
                i, $"s{i}", $"Step {i}: " + new string('t', titleLength), "http.get", TextExcerpt.Arguments(System.Text.Json.JsonDocument.Parse($$"""{"url":"https://example.com/{{new string('p', 300)}}"}""").RootElement),
                RiskLevel.Write, states[i % states.Length], "HTTP 503 Service Unavailable: " + new string('r', titleLength),
                "https://example.com, " + new string('h', titleLength), "expects at least 1 found, output contains \"" + new string('c', titleLength) + "\""))];
        return new PlanCardView(
            RunId,
            PlanHash,
            2,
            "Investigate payment API latency spike",
            "Rita",
            status,
            RiskLevel.Write,
            "Identify the likely cause with supporting evidence",
            "Any member of this conversation other than Rita",
            steps,
            [new DecisionView("Bob", "approved", At), new DecisionView("Ann", "rejected", At.AddMinutes(3))],
            $"Status line for {status.ToWire()}",
            acceptsDecisions,
            acceptsDecisions ? At.AddHours(24) : null,
            [],
            EnvelopeText: "If results call for it, BotAgent may add up to 3 read-only steps using http.get on https://example.com without asking again; anything beyond that comes back here for approval.",
            OutsideEnvelope: acceptsDecisions ? ["Outside what was approved on v1: s2 (http.get) reaches https://elsewhere.example, which the approved envelope does not include"] : null,
            GoalVerdict: status.IsFinished() ? new GoalVerdict(GoalStatus.NotMet, "s2 found no matching lines", ["s2"]) : null);
    }

    public static StepResultView Step(StepState state, string? output = "HTTP/1.1 200 OK\n{\"status\":\"healthy\"}", string? error = null) => new(
        RunId,
        3,
        "s3",
        "GET https://example.com/health",
        "http.get",
        state,
        "HTTP 200 OK in 42 ms",
        output,
        error,
        2,
        42,
        [new("status", "200"), new("latency", "42 ms"), new("content-type", "application/json")]);

    public static RunSummaryView Summary(RunStatus status) => new(
        RunId,
        "Investigate payment API latency spike",
        status,
        status == RunStatus.Succeeded ? "All 2 steps succeeded. Success criteria: the endpoint answers." : "Failed at s2 (Search logs): HTTP 500.",
        ["s1: HTTP 200 OK in 42 ms", "s2: 12 matching lines"],
        new GoalVerdict(status == RunStatus.Succeeded ? GoalStatus.Met : GoalStatus.NotMet, "s2 names the cause", ["s2"]));

    public static NoticeView Notice(NoticeTone tone, string? runId = RunId) => new(
        "I can't run this plan: policy refused it. Nothing was executed.",
        ["Step 1 (s1): there is no tool 'shell.exec' (or it is not enabled).", "The plan has 12 steps; at most 10 are allowed."],
        tone,
        runId);
}
