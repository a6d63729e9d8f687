using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Testing;

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

    /// <summary>
    /// The chaos harness (seed 37476, PostgreSQL, two instances) killed a bot between a revision's move to "awaiting
    /// approval" and the queueing of its card: the plan waited for people on a card nobody had. What a move says is
    /// now queued in the move's own transaction.
    /// </summary>
    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_move_queues_what_it_announces_with_itself_built_from_the_moved_run_and_a_lost_race_queues_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        Run? seen = null;
        Announcement announce = moved =>
        {
            seen = moved;
            return [Reporter.Notice(moved.Conversation, new NoticeView("refused", [], NoticeTone.Warning, moved.Id), Reporter.AnswerKey(moved.Id))];
        };

        var first = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.PolicyDenied, new RunChanges(Outcome: "refused by policy: x"), announce, None);
        Assert.Equal(RunStatus.PolicyDenied, seen!.Status);
        Assert.Equal("refused by policy: x", seen.Outcome);
        seen = null;
        var second = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.PolicyDenied, new RunChanges(Outcome: "refused by policy: x"), announce, None);

        Assert.Equal(RunStatus.PolicyDenied, first!.Status);
        Assert.Equal("refused by policy: x", first.Outcome);
        Assert.Null(second);
        Assert.Null(seen);
        Assert.Equal(["post answer:" + run.Id], await QueuedAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_move_whose_announcement_cannot_be_built_does_not_happen(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();

        // A run with no plan has no card to post: the move that would wait for approval on it is refused whole.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: Now.AddHours(1)), moved => [.. Reporter.CardRefresh(moved, 1), .. Reporter.PlanCardPosts(moved)], None));

        Assert.Equal(RunStatus.Planning, await StatusAsync(run.Id));
        Assert.Null((await Runs.GetAsync(run.Id, None))!.ExpiresAt);
        Assert.Empty(await QueuedAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_move_held_by_an_instance_that_lost_the_lease_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync(owner: "instance-b");
        var attemptId = await StartAttemptAsync(run.Id, "s1");

        var moved = await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.Failed,
            new RunChanges(Outcome: "internal error", HeldBy: "instance-a", InterruptedAttempts: "cut off"), moved => Reporter.CardRefresh(moved), None);

        Assert.Null(moved);
        Assert.Equal(RunStatus.Running, await StatusAsync(run.Id));
        Assert.Equal(StepState.Running, (await Attempts.ListAsync(run.Id, None)).Single(a => a.Id == attemptId).State);
        Assert.Empty(await QueuedAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_move_that_ends_interrupted_attempts_ends_only_the_open_ones_of_its_run(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync(owner: "instance-a");
        var done = await StartAttemptAsync(run.Id, "s1");
        await Attempts.FinishAsync(done, StepState.Succeeded, Now, "ok", null, null, null, None);
        var open = await StartAttemptAsync(run.Id, "s2");
        var other = await RunningRunAsync(owner: "instance-a");
        var elsewhere = await StartAttemptAsync(other.Id, "s1");

        var moved = await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.Failed,
            new RunChanges(Outcome: "internal error", HeldBy: "instance-a", InterruptedAttempts: "cut off by the crash"), moved => Reporter.CardRefresh(moved), None);

        Assert.Equal(RunStatus.Failed, moved!.Status);
        var attempts = await Attempts.ListAsync(run.Id, None);
        Assert.Equal(StepState.Succeeded, attempts.Single(a => a.Id == done).State);
        var ended = attempts.Single(a => a.Id == open);
        Assert.Equal(StepState.OutcomeUnknown, ended.State);
        Assert.Equal("cut off by the crash", ended.Summary);
        Assert.NotNull(ended.FinishedAt);
        Assert.Equal(StepState.Running, (await Attempts.ListAsync(other.Id, None)).Single(a => a.Id == elsewhere).State);
        Assert.Equal(["update " + Reporter.CardKey(run.Id)], await QueuedAsync(run.Id));
    }
}
