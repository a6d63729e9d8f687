using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>
/// What Core relies on from the run ports (<see cref="IRunStore"/>, <see cref="IRunTransitions"/>,
/// <see cref="IRunLeases"/>, <see cref="IRunQueries"/>, <see cref="IRunReminders"/>), asked the same way of every
/// implementation: <c>[Theory, OnInMemory, OnSqlite, OnPostgres]</c> runs a case against the in-memory fake the Core
/// tests use, a real SQLite file and a real PostgreSQL database, so the fake cannot drift from the stores. Runs are
/// brought to the state a test starts from through the ports themselves.
/// </summary>
public abstract class RunStoreContract : StoreTest
{
    private InMemoryRunStore? _fake;
    private InMemoryStepAttemptStore? _fakeAttempts;

    internal IRunStore Runs => _fake ?? Store.Runs;
    internal IRunTransitions Transitions => _fake ?? Store.Transitions;
    internal IRunLeases Leases => _fake ?? Store.Leases;
    internal IRunQueries Queries => _fake ?? Store.Queries;
    internal IRunReminders Reminders => _fake ?? Store.Reminders;
    internal IStepAttemptStore Attempts => _fakeAttempts ?? Store.Attempts;

    protected override Task UseAsync(StoreProvider provider, bool migrate = true)
    {
        if (provider != StoreProvider.InMemory)
            return base.UseAsync(provider, migrate);
        _fakeAttempts = new InMemoryStepAttemptStore();
        _fake = new InMemoryRunStore(Time) { Outbox = new RecordingOutbox(), Attempts = _fakeAttempts };
        return Task.CompletedTask;
    }

    // What a case may look at beyond the ports: the lease is not part of a Run, and counts show nothing was added.

    internal async Task<string?> LeaseOwnerAsync(string runId) => _fake is { } fake
        ? fake.LeaseOf(runId)?.Owner
        : await Store.ScalarAsync<string?>("SELECT lease_owner FROM runs WHERE id = @runId;", new { runId });

    internal async Task<DateTimeOffset?> LeaseUntilAsync(string runId) => _fake is { } fake
        ? fake.LeaseOf(runId)?.Until
        : DbTime.ParseOrNull(await Store.ScalarAsync<string?>("SELECT lease_until FROM runs WHERE id = @runId;", new { runId }));

    /// <summary>What was queued for the run, in order: each message's kind and key.</summary>
    internal async Task<IReadOnlyList<string>> QueuedAsync(string runId) => _fake is { Outbox: RecordingOutbox outbox }
        ? [.. outbox.Messages.Where(m => m.RunId == runId).Select(m => $"{m.Kind.ToString().ToLowerInvariant()} {m.MessageKey}")]
        : [.. await Store.QueryAsync<string>("SELECT kind || ' ' || message_key FROM outbox WHERE run_id = @runId ORDER BY id;", new { runId })];

    internal async Task<long> RunCountAsync() => _fake is { } fake
        ? fake.Count
        : await Store.ScalarAsync<long>("SELECT COUNT(*) FROM runs;");

    internal async Task<long> PlanVersionCountAsync(string runId) => _fake is { } fake
        ? fake.PlanVersionCount(runId)
        : await Store.ScalarAsync<long>("SELECT COUNT(*) FROM plan_versions WHERE run_id = @runId;", new { runId });

    internal async Task<Run> CreateRunAsync(DateTimeOffset? at = null)
    {
        var run = Samples.NewRun(at ?? Now);
        await Runs.CreateAsync(run, None);
        return run;
    }

    /// <summary>A run with plan version 1 waiting for approval.</summary>
    internal async Task<(Run Run, PlanVersion Plan)> AwaitingRunAsync(int quorum = 1, DateTimeOffset? expiresAt = null)
    {
        var run = await CreateRunAsync();
        var plan = Samples.Version(1, Samples.Plan(), Now);
        await Runs.SavePlanAsync(run.Id, plan, None);
        var moved = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: expiresAt ?? Now.AddHours(1), RiskLevel: RiskLevel.ReadOnly,
                Approval: new ApprovalRequirement(RiskLevel.ReadOnly, quorum, false, null)), None);
        Assert.True(moved);
        return (run, plan);
    }

    /// <summary>An approved run, approved at <see cref="StoreTest.Now"/>.</summary>
    internal async Task<Run> ApprovedRunAsync()
    {
        var (run, plan) = await AwaitingRunAsync();
        var record = await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 1, None);
        Assert.Equal(RunStatus.Approved, record.Status);
        return run;
    }

    /// <summary>A run claimed by <paramref name="owner"/> at <see cref="StoreTest.Now"/> with a lease of five minutes.</summary>
    internal async Task<Run> RunningRunAsync(string owner = "instance-a")
    {
        var run = await ApprovedRunAsync();
        Assert.Equal(run.Id, await Leases.ClaimAsync(owner, Now, Now.AddMinutes(5), None));
        return run;
    }

    /// <summary>A running run whose write step s1 was interrupted: the run waits for a person to decide.</summary>
    internal async Task<(Run Run, long AttemptId)> AwaitingDecisionRunAsync()
    {
        var run = await RunningRunAsync();
        var attemptId = await StartAttemptAsync(run.Id, "s1");
        await Attempts.FinishAsync(attemptId, StepState.OutcomeUnknown, Now, "interrupted", null, "the process stopped during the call", null, None);
        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.AwaitingDecision, RunChanges.None, None));
        return (run, attemptId);
    }

    internal Task<long> StartAttemptAsync(string runId, string stepId, int attempt = 1) =>
        Attempts.StartAsync(new StepAttempt(0, runId, 1, stepId, 0, attempt, "files.write", "{\"path\":\"a.txt\"}", $"{runId}:1:{stepId}", StepState.Running, Now), None);

    internal async Task<RunStatus> StatusAsync(string runId) => (await Runs.GetAsync(runId, None))!.Status;
}
