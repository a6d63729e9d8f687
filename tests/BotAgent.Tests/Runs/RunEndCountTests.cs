using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using BotAgent.Core.Planning;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Tests.Runs;

/// <summary>The counter is process-wide: these tests run alone, so every count they see is their own run's.</summary>
[CollectionDefinition(nameof(RunEndCounting), DisableParallelization = true)]
public sealed class RunEndCounting;

/// <summary>
/// Every way a run can end is counted once in <c>botagent.runs.finished</c>, with the outcome it ended with: a run
/// ends each way here, through the real bot, and the counter must have seen exactly that end.
/// </summary>
[Collection(nameof(RunEndCounting))]
public sealed class RunEndCountTests
{
    [Fact]
    public async Task A_run_that_succeeds() => await EndsAsync("succeeded", [], async s =>
    {
        s.Target.Respond("/ok", new TargetResponse(200, "ok"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok")}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
    });

    [Fact]
    public async Task A_run_whose_step_fails() => await EndsAsync("failed", [], async s =>
    {
        s.Target.Respond("/broken", new TargetResponse(500, "down"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/broken")}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
    });

    [Fact]
    public async Task A_goal_that_cannot_be_planned() => await EndsAsync("planning_failed", [], s =>
        s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "make the coffee machine faster")));

    [Fact]
    public async Task A_plan_policy_refuses() => await EndsAsync("policy_denied", new() { ["Roles:Default:MaxRequestRisk"] = "read_only" }, s =>
        s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST")));

    [Fact]
    public async Task A_plan_that_is_rejected() => await EndsAsync("rejected", [], async s =>
    {
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok")}");
        await s.SubmitAsync(BotScenario.Bob, card, "reject");
    });

    [Fact]
    public async Task A_plan_nobody_approves_in_time() => await EndsAsync("expired", new() { ["Approvals:Expiry"] = "00:00:01" }, async s =>
        await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok")}"));

    [Fact]
    public async Task A_waiting_plan_cancelled_in_the_chat() => await EndsAsync("cancelled", [], async s =>
    {
        await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok")}");
        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "cancel"));
    });

    [Fact]
    public async Task A_running_run_cancelled_in_the_chat() => await EndsAsync("cancelled", [], async s =>
    {
        s.Target.Respond("/slow", new TargetResponse(200, "late", Delay: TimeSpan.FromSeconds(30)));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/slow")}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
        await Eventually.TrueAsync(() => Task.FromResult(s.Target.HitCount("/slow") == 1), "the step to be in flight");
        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "cancel"));
    });

    [Fact]
    public async Task A_run_stopped_at_a_step_whose_outcome_is_unknown() => await EndsAsync("cancelled", new() { ["Execution:StepTimeout"] = "00:00:01" }, async s =>
    {
        var decision = await UnknownOutcomeAsync(s);
        var stop = CardTexts.Actions(decision.Card!)[2]["data"]!.AsObject();
        await s.Bot.PostActivityAsync(s.Activities.Submit(BotScenario.Bob, stop, decision.AssignedId!));
    }, stored: "stopped by Bob");

    [Fact]
    public async Task A_run_nobody_decides_about_in_time() => await EndsAsync("cancelled",
        new() { ["Execution:StepTimeout"] = "00:00:01", ["Approvals:Expiry"] = "00:00:03" }, async s => await UnknownOutcomeAsync(s), stored: "stopped: nobody said in time");

    [Fact]
    public async Task A_run_that_crashes() => await EndsAsync("failed", [], async s =>
    {
        s.Target.Respond("/ok", new TargetResponse(200, "ok"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok")}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
    }, crashOnSummary: true, stored: "internal error: InvalidOperationException");

    /// <summary>Runs <paramref name="act"/> and waits until the run has ended; the counter must have seen that one end.</summary>
    /// <param name="stored">What the run's stored outcome starts with, where the way it ended is not plain from the status.</param>
    private static async Task EndsAsync(string outcome, Dictionary<string, string?> settings, Func<BotScenario, Task> act, bool crashOnSummary = false, string? stored = null)
    {
        var counted = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Core.Telemetry.Name && instrument.Name == "botagent.runs.finished")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "outcome")
                    for (var i = 0; i < value; i++)
                        counted.Enqueue(tag.Value as string ?? "");
        });
        listener.Start();

        await using var s = await BotScenario.StartAsync(settings: settings, configure: crashOnSummary
            ? b => b.Services.AddSingleton<IPlanner>(sp => new CrashingSummary(ActivatorUtilities.CreateInstance<OfflinePlanner>(sp)))
            : null);
        await act(s);

        using var db = s.Bot.OpenDatabase();
        await Eventually.TrueAsync(async () =>
            await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs WHERE status IN ('succeeded', 'failed', 'cancelled', 'rejected', 'expired', 'policy_denied')") == 1,
            "the run to end", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => Task.FromResult(!counted.IsEmpty), "the end to be counted");
        Assert.Equal([outcome], counted);
        if (stored is not null)
            Assert.StartsWith(stored, await db.QuerySingleAsync<string>("SELECT outcome FROM runs"), StringComparison.Ordinal);
    }

    private static async Task<ConnectorCall> UnknownOutcomeAsync(BotScenario s)
    {
        s.Target.Respond("/tickets", new TargetResponse(201, "created, too late", Delay: TimeSpan.FromSeconds(5)));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
        return (await s.Channel.WaitForAsync(c => c.IsPost && c.CardText.Contains("Did this step happen?", StringComparison.Ordinal), what: "the decision card")).Single();
    }

    /// <summary>The offline planner, except that writing the summary throws: a bug in the middle of ending a run.</summary>
    private sealed class CrashingSummary(IPlanner inner) : IPlanner
    {
        public Task<PlanningOutcome> PlanAsync(PlanningRequest request, CancellationToken cancellationToken) => inner.PlanAsync(request, cancellationToken);

        public Task<PlanningOutcome> ReviseAsync(RevisionRequest request, CancellationToken cancellationToken) => inner.ReviseAsync(request, cancellationToken);

        public Task<ObservationAnswer> ObserveAsync(ObservationRequest request, CancellationToken cancellationToken) => inner.ObserveAsync(request, cancellationToken);

        public Task<RunSummary> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the summary could not be written");
    }
}
