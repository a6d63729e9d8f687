using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Storage.Tests.Stores;

/// <summary>Runs brought to the state a test starts from, through the store's own operations.</summary>
public abstract class RunStoreTest : StoreTest
{
    internal async Task<Run> CreateRunAsync(DateTimeOffset? at = null)
    {
        var run = Samples.NewRun(at ?? Now);
        await Store.Runs.CreateAsync(run, None);
        return run;
    }

    /// <summary>A run with plan version 1 waiting for approval.</summary>
    internal async Task<(Run Run, PlanVersion Plan)> AwaitingRunAsync(int quorum = 1, DateTimeOffset? expiresAt = null)
    {
        var run = await CreateRunAsync();
        var plan = Samples.Version(1, Samples.Plan(), Now);
        await Store.Runs.SavePlanAsync(run.Id, plan, None);
        var moved = await Store.Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: expiresAt ?? Now.AddHours(1), RiskLevel: RiskLevel.ReadOnly,
                Approval: new ApprovalRequirement(RiskLevel.ReadOnly, quorum, false, null)), None);
        Assert.True(moved);
        return (run, plan);
    }

    /// <summary>An approved run, approved at <see cref="StoreTest.Now"/>.</summary>
    internal async Task<Run> ApprovedRunAsync()
    {
        var (run, plan) = await AwaitingRunAsync();
        var record = await Store.Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 1, None);
        Assert.Equal(RunStatus.Approved, record.Status);
        return run;
    }

    /// <summary>A run claimed by <paramref name="owner"/> at <see cref="StoreTest.Now"/> with a lease of five minutes.</summary>
    internal async Task<Run> RunningRunAsync(string owner = "instance-a")
    {
        var run = await ApprovedRunAsync();
        Assert.Equal(run.Id, await Store.Runs.ClaimAsync(owner, Now, Now.AddMinutes(5), None));
        return run;
    }

    /// <summary>A running run whose write step s1 was interrupted: the run waits for a person to decide.</summary>
    internal async Task<(Run Run, long AttemptId)> AwaitingDecisionRunAsync()
    {
        var run = await RunningRunAsync();
        var attemptId = await StartAttemptAsync(run.Id, "s1");
        await Store.Attempts.FinishAsync(attemptId, StepState.OutcomeUnknown, Now, "interrupted", null, "the process stopped during the call", null, None);
        Assert.True(await Store.Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.AwaitingDecision, RunChanges.None, None));
        return (run, attemptId);
    }

    internal Task<long> StartAttemptAsync(string runId, string stepId, int attempt = 1) =>
        Store.Attempts.StartAsync(new StepAttempt(0, runId, 1, stepId, 0, attempt, "files.write", "{\"path\":\"a.txt\"}", $"{runId}:1:{stepId}", StepState.Running, Now), None);

    internal async Task<RunStatus> StatusAsync(string runId) => (await Store.Runs.GetAsync(runId, None))!.Status;

    internal Task<string?> LeaseOwnerAsync(string runId) =>
        Store.ScalarAsync<string?>("SELECT lease_owner FROM runs WHERE id = @runId;", new { runId });
}
