using BotAgent.Core.Approvals;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Contract;

public sealed class DecisionContractTests : RunStoreContract
{
    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Single_approval_with_quorum_one_closes_the_run_as_approved(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 1);

        var record = await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 1, None);

        Assert.Equal(new DecisionRecord(DecisionRecordKind.Closed, RunStatus.Approved, 1), record);
        Assert.Equal(RunStatus.Approved, await StatusAsync(run.Id));
        var decision = Assert.Single(await Runs.GetDecisionsAsync(run.Id, None));
        Assert.Equal(Samples.Approver(1), decision.Approver);
        Assert.Equal(ApprovalVerb.Approve, decision.Verb);
        Assert.Equal(plan.Hash, decision.PlanHash);
        Assert.Equal(1, decision.PlanVersion);
        Assert.Equal(Now, decision.DecidedAt);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Quorum_of_two_counts_the_first_approval_and_closes_on_the_second(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 2);

        var first = await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 2, None);
        Assert.Equal(new DecisionRecord(DecisionRecordKind.Counted, RunStatus.AwaitingApproval, 1), first);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));

        var second = await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(2), Now.AddSeconds(1)), 2, None);
        Assert.Equal(new DecisionRecord(DecisionRecordKind.Closed, RunStatus.Approved, 2), second);
        Assert.Equal(RunStatus.Approved, await StatusAsync(run.Id));
        Assert.Equal(["29:approver-1", "29:approver-2"], (await Runs.GetDecisionsAsync(run.Id, None)).Select(d => d.Approver.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Same_approver_twice_is_a_duplicate_and_does_not_count(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 2);
        await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 2, None);

        var again = await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now.AddSeconds(1)), 2, None);

        Assert.Equal(DecisionRecordKind.Duplicate, again.Kind);
        Assert.Equal(RunStatus.AwaitingApproval, again.Status);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
        Assert.Single(await Runs.GetDecisionsAsync(run.Id, None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Rejection_closes_the_run_as_rejected_and_names_who_rejected(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 2);
        await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 2, None);

        var record = await Transitions.DecideAsync(Samples.Reject(run.Id, plan, Samples.Approver(2), Now), 2, None);

        Assert.Equal(DecisionRecordKind.Closed, record.Kind);
        Assert.Equal(RunStatus.Rejected, record.Status);
        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Rejected, loaded.Status);
        Assert.Contains("Approver 2", loaded.Outcome);
        Assert.Equal(ApprovalVerb.Reject, (await Runs.GetDecisionsAsync(run.Id, None))[1].Verb);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Decision_on_a_stale_plan_hash_is_not_recorded(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 1);
        var stale = plan with { Hash = "0123456789abcdef" };

        var record = await Transitions.DecideAsync(Samples.Approve(run.Id, stale, Samples.Approver(1), Now), 1, None);

        Assert.Equal(DecisionRecordKind.NotAwaiting, record.Kind);
        Assert.Equal(RunStatus.AwaitingApproval, record.Status);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
        Assert.Empty(await Runs.GetDecisionsAsync(run.Id, None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Decision_on_a_run_no_longer_awaiting_approval_is_not_recorded(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 1);
        await Transitions.TransitionAsync(run.Id, RunStatus.AwaitingApproval, RunStatus.Cancelled, RunChanges.None, None);

        var record = await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 1, None);

        Assert.Equal(new DecisionRecord(DecisionRecordKind.NotAwaiting, RunStatus.Cancelled, 0), record);
        Assert.Empty(await Runs.GetDecisionsAsync(run.Id, None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Twenty_concurrent_approvals_with_quorum_one_close_the_run_once_and_it_is_claimed_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 1);

        var records = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() =>
            Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(i), Now), 1, None))));

        var closed = Assert.Single(records, r => r.Kind == DecisionRecordKind.Closed);
        Assert.Equal(RunStatus.Approved, closed.Status);
        Assert.All(records.Where(r => r.Kind != DecisionRecordKind.Closed), r => Assert.Equal(DecisionRecordKind.NotAwaiting, r.Kind));
        Assert.Single(await Runs.GetDecisionsAsync(run.Id, None));
        Assert.Equal(RunStatus.Approved, await StatusAsync(run.Id));

        var claims = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() =>
            Leases.ClaimAsync($"worker-{i}", Now, Now.AddMinutes(5), None))));

        Assert.Equal(run.Id, Assert.Single(claims, c => c is not null));
        Assert.Equal(RunStatus.Running, await StatusAsync(run.Id));
        Assert.Null(await Leases.ClaimAsync("late-worker", Now, Now.AddMinutes(5), None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Twenty_concurrent_approvals_with_quorum_three_count_each_once_and_close_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 3);

        var records = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() =>
            Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(i), Now), 3, None))));

        Assert.Single(records, r => r.Kind == DecisionRecordKind.Closed);
        Assert.Equal(2, records.Count(r => r.Kind == DecisionRecordKind.Counted));
        Assert.Equal(17, records.Count(r => r.Kind == DecisionRecordKind.NotAwaiting));
        Assert.Equal(3, (await Runs.GetDecisionsAsync(run.Id, None)).Count);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Approval_clears_what_the_run_said_while_it_waited(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var plan = Samples.Version(1, Samples.Plan(), Now);
        await Runs.SavePlanAsync(run.Id, plan, None);
        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(Outcome: "the revision reaches outside what was approved", ExpiresAt: Now.AddHours(1)), None));

        var record = await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now.AddMinutes(1)), 1, None);

        Assert.Equal(DecisionRecordKind.Closed, record.Kind);
        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Approved, loaded.Status);
        Assert.Null(loaded.Outcome);
        Assert.Equal(Now.AddMinutes(1), loaded.UpdatedAt);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_recorded_decision_queues_its_announcement_built_from_the_decided_run_and_a_duplicate_queues_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(quorum: 2);
        var seen = new List<RunStatus>();
        Announcement announce = decided =>
        {
            seen.Add(decided.Status);
            return Reporter.CardRefresh(decided);
        };

        await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 2, announce, None);
        await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 2, announce, None);
        await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(2), Now), 2, announce, None);

        Assert.Equal([RunStatus.AwaitingApproval, RunStatus.Approved], seen);
        Assert.Equal(["update " + Reporter.CardKey(run.Id), "update " + Reporter.CardKey(run.Id)], await QueuedAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_decision_whose_announcement_cannot_be_built_is_not_recorded(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Transitions.DecideAsync(Samples.Reject(run.Id, plan, Samples.Approver(1), Now), 1, _ => throw new InvalidOperationException("no card"), None));

        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
        Assert.Empty(await Runs.GetDecisionsAsync(run.Id, None));
    }
}
