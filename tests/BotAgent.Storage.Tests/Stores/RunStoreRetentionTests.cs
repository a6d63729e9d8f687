using System.Text.Json.Nodes;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Runs;
using BotAgent.Storage.Tests.Contract;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Stores;

/// <summary>Retention: finished runs older than the cutoff go, with everything recorded about them.</summary>
public sealed class RunStoreRetentionTests : RunStoreContract
{
    private static readonly string[] RunTables = ["plan_versions", "approval_decisions", "step_attempts", "step_resolutions", "planning_events", "execution_events", "outbox"];

    /// <summary>
    /// A run that went all the way: planned, approved, an interrupted step resolved by a person, a step run,
    /// traces and messages written, succeeded, all at <see cref="StoreTest.Now"/>.
    /// </summary>
    private async Task<Run> FinishedRunWithHistoryAsync(RunStatus end = RunStatus.Succeeded)
    {
        var (run, attemptId) = await AwaitingDecisionRunAsync();
        Assert.True(await Store.Transitions.ResolveStepAsync(new StepResolution(run.Id, attemptId, "s1", StepResolutionKind.Retry, new Member("29:carol", "Carol"), Now), None));
        Assert.Equal(run.Id, await Store.Leases.ClaimAsync("instance-a", Now, Now.AddMinutes(5), None));
        var retry = await StartAttemptAsync(run.Id, "s1", attempt: 2);
        await Store.Attempts.FinishAsync(retry, StepState.Succeeded, Now, "written", null, null, null, None);
        await Store.Traces.PlanningAsync(run.Id, "plan.proposed", new JsonObject { ["version"] = 1 }, None);
        await Store.Traces.ExecutionAsync(run.Id, "step.finished", "s1", 2, null, None);
        await Store.Outbox.EnqueueAsync(Samples.Post(run.Conversation, "Plan", $"card:{run.Id}", run.Id), Now, None);
        await Store.Outbox.EnqueueAsync(Samples.Update(run.Conversation, "Plan (done)", $"card:{run.Id}", run.Id), Now, None);
        Assert.True(await Store.Transitions.TransitionAsync(run.Id, RunStatus.Running, end, new RunChanges(Outcome: "finished"), None));
        return run;
    }

    private async Task<long> RowsAboutAsync(string runId)
    {
        long rows = 0;
        foreach (var table in RunTables)
            rows += await Store.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE run_id = @runId;", new { runId });
        return rows;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Old_finished_run_is_deleted_with_its_plans_decisions_attempts_resolutions_events_and_messages(StoreProvider provider)
    {
        await UseAsync(provider);
        var old = await FinishedRunWithHistoryAsync();
        Assert.Equal(9, await RowsAboutAsync(old.Id));
        Time.Advance(TimeSpan.FromDays(31));

        var deleted = await Store.RunStore.DeleteFinishedBeforeAsync(Now.AddDays(-30), None);

        Assert.Equal(1, deleted);
        Assert.Null(await Store.Runs.GetAsync(old.Id, None));
        Assert.Null(await Store.Runs.GetPlanAsync(old.Id, 1, None));
        Assert.Empty(await Store.Runs.GetDecisionsAsync(old.Id, None));
        Assert.Empty(await Store.Runs.GetResolutionsAsync(old.Id, None));
        Assert.Empty(await Store.Attempts.ListAsync(old.Id, None));
        Assert.Empty(await Store.TraceReader.ListAsync(old.Id, None));
        Assert.Equal(0, await RowsAboutAsync(old.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Recent_finished_runs_and_old_unfinished_runs_are_kept_whole(StoreProvider provider)
    {
        await UseAsync(provider);
        var (oldAwaiting, _) = await AwaitingRunAsync(expiresAt: Now.AddDays(60));
        var oldRunning = await RunningRunAsync();
        await Store.Leases.RenewLeasesAsync("instance-a", [oldRunning.Id], Now.AddDays(90), None); // alive throughout
        var oldPlanning = await CreateRunAsync();
        var old = await FinishedRunWithHistoryAsync(RunStatus.Failed);
        Time.Advance(TimeSpan.FromDays(29));
        var recent = await FinishedRunWithHistoryAsync();
        Time.Advance(TimeSpan.FromDays(2));

        var deleted = await Store.RunStore.DeleteFinishedBeforeAsync(Now.AddDays(-30), None);

        Assert.Equal(1, deleted);
        Assert.Null(await Store.Runs.GetAsync(old.Id, None));
        Assert.Equal(RunStatus.Succeeded, await StatusAsync(recent.Id));
        Assert.Equal(9, await RowsAboutAsync(recent.Id));
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(oldAwaiting.Id));
        Assert.NotNull(await Store.Runs.GetPlanAsync(oldAwaiting.Id, 1, None));
        Assert.Equal(RunStatus.Running, await StatusAsync(oldRunning.Id));
        Assert.Single(await Store.Runs.GetDecisionsAsync(oldRunning.Id, None));
        Assert.Equal(RunStatus.Planning, await StatusAsync(oldPlanning.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_finished_status_is_deleted_once_old(StoreProvider provider)
    {
        await UseAsync(provider);
        var succeeded = await FinishedRunWithHistoryAsync(RunStatus.Succeeded);
        var cancelled = await FinishedRunWithHistoryAsync(RunStatus.Cancelled);
        var (rejected, plan) = await AwaitingRunAsync();
        await Store.Transitions.DecideAsync(Samples.Reject(rejected.Id, plan, Samples.Approver(1), Now), 1, None);
        var (expired, _) = await AwaitingRunAsync(expiresAt: Now);
        await Store.Transitions.ExpireOverdueAsync(Now, None);
        var denied = await CreateRunAsync();
        await Store.Transitions.TransitionAsync(denied.Id, RunStatus.Planning, RunStatus.PolicyDenied, new RunChanges(Outcome: "refused by policy"), None);
        Time.Advance(TimeSpan.FromDays(1));

        var deleted = await Store.RunStore.DeleteFinishedBeforeAsync(Now, None);

        Assert.Equal(5, deleted);
        foreach (var id in new[] { succeeded.Id, cancelled.Id, rejected.Id, expired.Id, denied.Id })
            Assert.Null(await Store.Runs.GetAsync(id, None));
        Assert.Equal(0, await Store.RunStore.DeleteFinishedBeforeAsync(Now, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Old_processed_inbox_items_go_and_open_ones_stay(StoreProvider provider)
    {
        await UseAsync(provider);
        await Store.Inbox.TryAcceptAsync("botframework", "old-done", "conv-1", "{}", Now, processed: true, None);
        await Store.Inbox.TryAcceptAsync("botframework", "old-pending", "conv-2", "{}", Now, processed: false, None);
        Time.Advance(TimeSpan.FromDays(31));
        await Store.Inbox.TryAcceptAsync("botframework", "recent-done", "conv-3", "{}", Now, processed: true, None);

        await Store.RunStore.DeleteFinishedBeforeAsync(Now.AddDays(-30), None);

        Assert.Equal(["old-pending", "recent-done"], await Store.QueryAsync<string>("SELECT dedupe_key FROM inbox ORDER BY dedupe_key;"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Old_hosted_conversation_activities_go_recent_ones_stay_and_numbering_continues(StoreProvider provider)
    {
        await UseAsync(provider);
        await Store.ConversationLog.AppendAsync("conv-a", null, seq => $"{{\"n\":{seq}}}", Now, None);
        await Store.ConversationLog.AppendAsync("conv-b", "alice", seq => $"{{\"n\":{seq}}}", Now, None);
        Time.Advance(TimeSpan.FromDays(31));
        await Store.ConversationLog.AppendAsync("conv-a", "bob", seq => $"{{\"n\":{seq}}}", Now, None);

        await Store.RunStore.DeleteFinishedBeforeAsync(Now.AddDays(-30), None);

        Assert.Equal(["{\"n\":2}"], (await Store.ConversationLog.ReadAsync("conv-a", 0, 10, None)).Select(e => e.Payload));
        Assert.Empty(await Store.ConversationLog.ReadAsync("conv-b", 0, 10, None));
        Assert.True(await Store.ConversationLog.ExistsAsync("conv-b", None));
        Assert.Equal(2, (await Store.ConversationLog.AppendAsync("conv-b", null, seq => $"{{\"n\":{seq}}}", Now, None)).Sequence);
    }
}
