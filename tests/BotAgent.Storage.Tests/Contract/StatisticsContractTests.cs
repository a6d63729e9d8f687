using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Core.Traces.Statistics;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>
/// The runs dashboard's counts (<see cref="IRunStatistics"/>), asked the same way of SQLite and PostgreSQL: a period of
/// three days with known runs, decisions, attempts and model calls inside it, and some of each just outside.
/// </summary>
public sealed class StatisticsContractTests : StoreTest
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day3 = Day1.AddDays(2);
    private static readonly DateTimeOffset End = Day1.AddDays(3);

    private IRunStatistics Statistics => Store.Statistics;

    [Theory, OnSqlite, OnPostgres]
    public async Task Counts_a_period_by_day_verdict_decision_tool_and_model_tokens_and_nothing_outside_it(StoreProvider provider)
    {
        await UseAsync(provider);
        var anchor = await RunAsync(Day1.AddHours(8), GoalStatus.Met);
        await ModelCallsAsync(anchor.Id);
        await RunAsync(Day1.AddHours(9), GoalStatus.Met);
        await RunAsync(Day1.AddHours(23).AddMinutes(59), GoalStatus.NotMet);
        await RunAsync(Day3.AddHours(1), GoalStatus.Inconclusive);
        await RunAsync(Day3.AddHours(2), verdict: null);
        await RunAsync(Day1.AddTicks(-1), GoalStatus.Met);
        await RunAsync(End, GoalStatus.NotMet);

        await DecidedAsync(Day1.AddDays(1).AddHours(9), quorum: 2, Day1.AddDays(1).AddHours(9).AddMinutes(5), Day1.AddDays(1).AddHours(9).AddMinutes(10));
        await DecidedAsync(Day3.AddHours(9), quorum: 1, Day3.AddHours(9).AddSeconds(30));
        await DecidedAsync(Day1.AddHours(-1), quorum: 1, Day1.AddMinutes(-30));

        await AttemptAsync(anchor.Id, "s1", 1, "http.get", Day1.AddHours(10), StepState.Failed);
        await AttemptAsync(anchor.Id, "s1", 2, "http.get", Day1.AddHours(10).AddSeconds(5), StepState.TimedOut);
        await AttemptAsync(anchor.Id, "s1", 3, "http.get", Day1.AddHours(10).AddSeconds(20), StepState.Succeeded);
        await AttemptAsync(anchor.Id, "s1", 4, "http.get", Day3.AddHours(10), StepState.Running);
        await AttemptAsync(anchor.Id, "s0", 1, "http.get", Day1.AddHours(-2), StepState.Failed);
        await AttemptAsync(anchor.Id, "s2", 1, "files.write", Day3.AddHours(11), StepState.Succeeded);

        var found = await Statistics.ReadAsync(Day1, End, None);

        Assert.Equal(
            ["2026-11-26 met 2", "2026-11-26 not_met 1", "2026-11-27 none 1", "2026-11-28 inconclusive 1", "2026-11-28 none 2"],
            found.Runs.Select(r => $"{r.Day:yyyy-MM-dd} {(r.Verdict is { } v ? new GoalVerdict(v, "", []).Wire : "none")} {r.Runs}").Order(StringComparer.Ordinal));
        Assert.Equal(
            [new DecisionWait(Day3.AddHours(9), Day3.AddHours(9).AddSeconds(30)), new DecisionWait(Day1.AddDays(1).AddHours(9), Day1.AddDays(1).AddHours(9).AddMinutes(10))],
            found.Decisions);
        Assert.Equal([new ToolAttemptCount("http.get", 3, 2), new ToolAttemptCount("files.write", 1, 0)], found.Tools);
        Assert.Equal([new DailyTokenCount(DateOnly.FromDateTime(Day1.UtcDateTime), 2, 150, 25), new DailyTokenCount(DateOnly.FromDateTime(Day3.UtcDateTime), 1, 0, 7)],
            found.Tokens.OrderBy(t => t.Day));

        Assert.Equal(RunStatistics.Empty.Runs, (await Statistics.ReadAsync(End.AddDays(1), End.AddDays(2), None)).Runs);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_period_with_nothing_in_it_is_empty(StoreProvider provider)
    {
        await UseAsync(provider);

        var found = await Statistics.ReadAsync(Day1, End, None);

        Assert.Empty(found.Runs);
        Assert.Empty(found.Decisions);
        Assert.Empty(found.Tools);
        Assert.Empty(found.Tokens);
    }

    /// <summary>Model calls, the clock moved forward to each: two on day 1, one on day 3 with a null input count, and some that do not count.</summary>
    private async Task ModelCallsAsync(string runId)
    {
        JsonObject Call(int? input, int output) => new() { ["purpose"] = "plan", ["inputTokens"] = input, ["outputTokens"] = output, ["latencyMs"] = 900 };
        await PlanningAtAsync(runId, Day1.AddHours(-3), TraceTypes.ModelCall, Call(1000, 1000));
        await PlanningAtAsync(runId, Day1.AddHours(10), TraceTypes.ModelCall, Call(100, 20));
        await PlanningAtAsync(runId, Day1.AddHours(11), TraceTypes.ModelCall, Call(50, 5));
        await PlanningAtAsync(runId, Day1.AddHours(12), TraceTypes.ModelError, new JsonObject { ["purpose"] = "plan", ["error"] = "HTTP 429" });
        await PlanningAtAsync(runId, Day3.AddHours(12), TraceTypes.ModelCall, Call(null, 7));
        await PlanningAtAsync(runId, End.AddHours(1), TraceTypes.ModelCall, Call(1000, 1000));
    }

    private Task PlanningAtAsync(string runId, DateTimeOffset at, string type, JsonObject data)
    {
        Time.SetUtcNow(at);
        return Store.Traces.PlanningAsync(runId, type, data, None);
    }

    private async Task<Run> RunAsync(DateTimeOffset createdAt, GoalStatus? verdict)
    {
        var run = Samples.NewRun(createdAt);
        await Store.Runs.CreateAsync(run, None);
        var changes = new RunChanges(Outcome: "done", Goal: verdict is { } v ? new GoalVerdict(v, "because", []) : null);
        if (verdict is not null)
            Assert.True(await Store.Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.Failed, changes, None));
        return run;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Runs_stored_before_their_verdict_had_a_column_are_counted_once_migrated(StoreProvider provider)
    {
        await UseAsync(provider);
        await RunAsync(Day1.AddHours(8), GoalStatus.Met);
        await RunAsync(Day1.AddHours(9), GoalStatus.NotMet);
        await RunAsync(Day3.AddHours(2), verdict: null);
        async Task<List<DailyRunCount>> RunsAsync() => [.. (await Statistics.ReadAsync(Day1, End, None)).Runs.OrderBy(r => r.Day).ThenBy(r => r.Verdict)];
        var before = await RunsAsync();
        // The rows as 0012 left them: the verdict only inside goal_json, and 0013 not yet applied.
        await Store.ExecuteAsync("DROP INDEX ix_runs_created_verdict;");
        await Store.ExecuteAsync("ALTER TABLE runs DROP COLUMN goal_verdict;");
        await Store.ExecuteAsync("CREATE INDEX ix_runs_created ON runs (created_at);");
        await Store.ExecuteAsync("DROP INDEX ix_step_attempts_started_tool;");
        await Store.ExecuteAsync("CREATE INDEX ix_step_attempts_started ON step_attempts (started_at);");
        await Store.ExecuteAsync("DELETE FROM schema_migrations WHERE id = '0013_dashboard_from_indexes';");

        await Store.Migrator.MigrateAsync(None);

        Assert.Equal(3, before.Sum(r => r.Runs));
        Assert.Equal(2, before.Count(r => r.Verdict is not null));
        Assert.Equal(before, await RunsAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Decisions_stored_before_they_carried_their_wait_are_counted_once_migrated(StoreProvider provider)
    {
        await UseAsync(provider);
        await DecidedAsync(Day1.AddDays(1).AddHours(9), quorum: 2, Day1.AddDays(1).AddHours(9).AddMinutes(5), Day1.AddDays(1).AddHours(9).AddMinutes(10));
        await DecidedAsync(Day3.AddHours(9), quorum: 1, Day3.AddHours(9).AddSeconds(30));
        var before = (await Statistics.ReadAsync(Day1, End, None)).Decisions;
        // The rows as 0013 left them: no card time, no mark on the last decision, and 0014 not yet applied.
        await Store.ExecuteAsync("DROP INDEX ix_approval_decisions_latest;");
        await Store.ExecuteAsync("ALTER TABLE approval_decisions DROP COLUMN asked_at;");
        await Store.ExecuteAsync("ALTER TABLE approval_decisions DROP COLUMN latest;");
        await Store.ExecuteAsync("CREATE INDEX ix_approval_decisions_decided ON approval_decisions (decided_at);");
        await Store.ExecuteAsync("DELETE FROM schema_migrations WHERE id = '0014_decision_waits';");

        await Store.Migrator.MigrateAsync(None);

        Assert.Equal(2, before.Count);
        Assert.Equal(before, (await Statistics.ReadAsync(Day1, End, None)).Decisions);
        Assert.Equal(2L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM approval_decisions WHERE latest = 1;"));
        Assert.Equal(0L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM approval_decisions WHERE asked_at IS NULL;"));
    }

    /// <summary>A plan version proposed at <paramref name="askedAt"/> and decided by approvals at <paramref name="decidedAt"/>.</summary>
    private async Task DecidedAsync(DateTimeOffset askedAt, int quorum, params DateTimeOffset[] decidedAt)
    {
        var run = Samples.NewRun(askedAt);
        await Store.Runs.CreateAsync(run, None);
        var plan = Samples.Version(1, Samples.Plan(), askedAt);
        await Store.Runs.SavePlanAsync(run.Id, plan, None);
        Assert.True(await Store.Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: askedAt.AddDays(1), RiskLevel: RiskLevel.ReadOnly, Approval: new ApprovalRequirement(RiskLevel.ReadOnly, quorum, false, null)), None));
        for (var i = 0; i < decidedAt.Length; i++)
            await Store.Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(i + 1), decidedAt[i]), quorum, None);
    }

    private async Task AttemptAsync(string runId, string stepId, int attempt, string tool, DateTimeOffset startedAt, StepState state)
    {
        var id = await Store.Attempts.StartAsync(
            new StepAttempt(0, runId, 1, stepId, 0, attempt, tool, "{}", $"{runId}:1:{stepId}:{attempt}", StepState.Running, startedAt), None);
        if (state != StepState.Running)
            await Store.Attempts.FinishAsync(id, state, startedAt.AddSeconds(1), "done", null, state == StepState.Succeeded ? null : "broken", null, None);
    }
}
