using BotAgent.Core.Approvals;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>Approval windows: expiry and the reminder before it.</summary>
public sealed class DeadlineContractTests : RunStoreContract
{
    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Expiry_moves_only_overdue_runs_awaiting_approval(StoreProvider provider)
    {
        await UseAsync(provider);
        var (overdue, _) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(-1));
        var (dueNow, _) = await AwaitingRunAsync(expiresAt: Now);
        var (fresh, _) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(10));
        var (approved, approvedPlan) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(-5));
        await Transitions.DecideAsync(Samples.Approve(approved.Id, approvedPlan, Samples.Approver(1), Now.AddMinutes(-6)), 1, None);
        var planning = await CreateRunAsync();

        var expired = await Transitions.ExpireOverdueAsync(Now, None);

        Assert.Equal(new[] { overdue.Id, dueNow.Id }.Order(StringComparer.Ordinal), expired.Order(StringComparer.Ordinal));
        Assert.Equal(RunStatus.Expired, await StatusAsync(overdue.Id));
        Assert.Equal("approval expired", (await Runs.GetAsync(overdue.Id, None))!.Outcome);
        Assert.Equal(RunStatus.Expired, await StatusAsync(dueNow.Id));
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(fresh.Id));
        Assert.Equal(RunStatus.Approved, await StatusAsync(approved.Id));
        Assert.Equal(RunStatus.Planning, await StatusAsync(planning.Id));
        Assert.Empty(await Transitions.ExpireOverdueAsync(Now, None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_run_waiting_for_a_step_decision_gets_its_own_reminder_and_is_stopped_at_its_deadline(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(10));
        Assert.Equal([run.Id], await Reminders.TakeDueRemindersAsync(Now, TimeSpan.FromMinutes(15), None)); // the approval's reminder
        await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 1, None);
        await Leases.ClaimAsync("instance-a", Now, Now.AddMinutes(5), None);

        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.AwaitingDecision,
            new RunChanges(Outcome: "the outcome of step s1 is unknown", ExpiresAt: Now.AddHours(24)), None));

        Assert.Empty(await Transitions.ExpireOverdueAsync(Now.AddHours(23), None));
        Assert.Equal([run.Id], await Reminders.TakeDueRemindersAsync(Now.AddHours(23), TimeSpan.FromHours(1), None));
        Assert.Equal([run.Id], await Transitions.ExpireOverdueAsync(Now.AddHours(24), None));
        var stopped = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.StartsWith("stopped: nobody said in time", stopped.Outcome, StringComparison.Ordinal);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Decision_after_expiry_is_not_recorded(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, plan) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(-1));
        await Transitions.ExpireOverdueAsync(Now, None);

        var record = await Transitions.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), Now), 1, None);

        Assert.Equal(DecisionRecordKind.NotAwaiting, record.Kind);
        Assert.Equal(RunStatus.Expired, record.Status);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Reminder_is_taken_once_for_a_run_expiring_within_the_window(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, _) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(10));

        var first = await Reminders.TakeDueRemindersAsync(Now, TimeSpan.FromMinutes(15), None);
        var again = await Reminders.TakeDueRemindersAsync(Now.AddMinutes(1), TimeSpan.FromMinutes(15), None);

        Assert.Equal([run.Id], first);
        Assert.Empty(again);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Reminder_waits_until_the_expiry_comes_within_the_window(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, _) = await AwaitingRunAsync(expiresAt: Now.AddHours(1));

        Assert.Empty(await Reminders.TakeDueRemindersAsync(Now, TimeSpan.FromMinutes(15), None));
        Assert.Empty(await Reminders.TakeDueRemindersAsync(Now.AddMinutes(44), TimeSpan.FromMinutes(15), None));
        Assert.Equal([run.Id], await Reminders.TakeDueRemindersAsync(Now.AddMinutes(45), TimeSpan.FromMinutes(15), None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Runs_already_past_expiry_or_no_longer_awaiting_approval_are_not_reminded(StoreProvider provider)
    {
        await UseAsync(provider);
        await AwaitingRunAsync(expiresAt: Now.AddMinutes(-1));
        await AwaitingRunAsync(expiresAt: Now);
        var (approved, plan) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(5));
        await Transitions.DecideAsync(Samples.Approve(approved.Id, plan, Samples.Approver(1), Now), 1, None);
        var (cancelled, _) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(5));
        await Transitions.TransitionAsync(cancelled.Id, RunStatus.AwaitingApproval, RunStatus.Cancelled, RunChanges.None, None);

        Assert.Empty(await Reminders.TakeDueRemindersAsync(Now, TimeSpan.FromMinutes(15), None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Concurrent_reminder_sweeps_take_each_run_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var runs = new List<string>();
        for (var i = 0; i < 5; i++)
            runs.Add((await AwaitingRunAsync(expiresAt: Now.AddMinutes(5 + i))).Run.Id);

        var sweeps = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            Reminders.TakeDueRemindersAsync(Now, TimeSpan.FromMinutes(15), None))));

        var taken = sweeps.SelectMany(s => s).ToList();
        Assert.Equal(runs.Order(StringComparer.Ordinal), taken.Order(StringComparer.Ordinal));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Each_expired_run_queues_its_announcement_with_its_move(StoreProvider provider)
    {
        await UseAsync(provider);
        var (overdue, _) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(-1));
        var (fresh, _) = await AwaitingRunAsync(expiresAt: Now.AddMinutes(10));

        var ended = await Transitions.ExpireOverdueAsync(Now, run => Reporter.CardRefresh(run), None);

        var expired = Assert.Single(ended);
        Assert.Equal(overdue.Id, expired.Id);
        Assert.Equal(RunStatus.Expired, expired.Status);
        Assert.Equal(["update " + Reporter.CardKey(overdue.Id)], await QueuedAsync(overdue.Id));
        Assert.Empty(await QueuedAsync(fresh.Id));
    }
}
