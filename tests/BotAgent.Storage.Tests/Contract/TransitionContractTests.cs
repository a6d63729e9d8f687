using BotAgent.Core.Approvals;
using BotAgent.Core.Runs;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>Moves between states: only from the state the mover saw, only along the state machine, with what the move brings.</summary>
public sealed class TransitionContractTests : RunStoreContract
{
    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task The_goal_verdict_is_written_with_the_final_transition_and_what_is_being_done_is_cleared_by_it(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval, RunChanges.None, None);
        await Transitions.TransitionAsync(run.Id, RunStatus.AwaitingApproval, RunStatus.Approved, RunChanges.None, None);
        await Transitions.TransitionAsync(run.Id, RunStatus.Approved, RunStatus.Running, RunChanges.None, None);
        await Runs.SetActivityAsync(run.Id, "Looking at the results of step 2…", None);
        Assert.Equal("Looking at the results of step 2…", (await Runs.GetAsync(run.Id, None))!.Activity);

        var goal = new GoalVerdict(GoalStatus.NotMet, "s2 found nothing", ["s2"]);
        await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.Succeeded, new RunChanges(Outcome: "all steps succeeded", Goal: goal), None);

        var loaded = await Runs.GetAsync(run.Id, None);
        Assert.Equal(GoalStatus.NotMet, loaded!.GoalVerdict!.Verdict);
        Assert.Equal("s2 found nothing", loaded.GoalVerdict.Reason);
        Assert.Equal(["s2"], loaded.GoalVerdict.Evidence);
        Assert.Null(loaded.Activity);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Approval_requirement_written_with_a_transition_reads_back(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var expires = Now.AddMinutes(30);
        var requirement = new ApprovalRequirement(RiskLevel.High, 2, RequesterMayApprove: false, ["29:bob", "aad-carol"]);

        var moved = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: expires, RiskLevel: RiskLevel.High, Approval: requirement), None);

        Assert.True(moved);
        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.AwaitingApproval, loaded.Status);
        Assert.Equal(expires, loaded.ExpiresAt);
        Assert.Equal(RiskLevel.High, loaded.RiskLevel);
        Assert.NotNull(loaded.Approval);
        Assert.Equal(RiskLevel.High, loaded.Approval.Risk);
        Assert.Equal(2, loaded.Approval.Quorum);
        Assert.False(loaded.Approval.RequesterMayApprove);
        Assert.Equal(["29:bob", "aad-carol"], loaded.Approval.Approvers);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Transition_without_changes_keeps_earlier_fields(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, _) = await AwaitingRunAsync(quorum: 3);

        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.AwaitingApproval, RunStatus.Cancelled, new RunChanges(Outcome: "cancelled by Alice"), None));

        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Cancelled, loaded.Status);
        Assert.Equal("cancelled by Alice", loaded.Outcome);
        Assert.Equal(3, loaded.Approval!.Quorum);
        Assert.NotNull(loaded.ExpiresAt);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Transition_is_compare_and_set(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();

        var first = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval, RunChanges.None, None);
        var second = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval, RunChanges.None, None);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Transition_from_a_state_the_run_has_left_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.Cancelled, new RunChanges(Outcome: "cancelled"), None));

        var late = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.Failed, new RunChanges(Outcome: "planning failed"), None);

        Assert.False(late);
        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Cancelled, loaded.Status);
        Assert.Equal("cancelled", loaded.Outcome);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Concurrent_transitions_from_one_state_succeed_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var targets = new[] { RunStatus.AwaitingApproval, RunStatus.PolicyDenied, RunStatus.Failed, RunStatus.Cancelled };

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Transitions.TransitionAsync(run.Id, RunStatus.Planning, targets[i % targets.Length], RunChanges.None, None))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Illegal_transition_throws_and_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        (RunStatus From, RunStatus To)[] illegal =
        [
            (RunStatus.Planning, RunStatus.Running),
            (RunStatus.Planning, RunStatus.Approved),
            (RunStatus.AwaitingApproval, RunStatus.Succeeded),
            (RunStatus.Succeeded, RunStatus.Running),
            (RunStatus.Rejected, RunStatus.Approved),
            (RunStatus.AwaitingDecision, RunStatus.Running),
        ];

        foreach (var (from, to) in illegal)
            await Assert.ThrowsAsync<InvalidOperationException>(() => Transitions.TransitionAsync(run.Id, from, to, RunChanges.None, None));

        Assert.Equal(RunStatus.Planning, await StatusAsync(run.Id));
    }
}
