using System.Text.Json.Nodes;
using BotAgent.Core;
using BotAgent.Core.Approvals;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Storage.Tests.Contract;
using BotAgent.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BotAgent.Storage.Tests.Stores;

/// <summary>How the database stores what the contract cases read back through the ports: text people and tools can read.</summary>
public sealed class RunStoreColumnTests : RunStoreContract
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Approval_requirement_is_stored_as_json_with_its_quorum(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var requirement = new ApprovalRequirement(RiskLevel.High, 2, RequesterMayApprove: false, ["29:bob", "aad-carol"]);

        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: Now.AddMinutes(30), RiskLevel: RiskLevel.High, Approval: requirement), None));

        var json = JsonNode.Parse(await Store.ScalarAsync<string>("SELECT approval_json FROM runs WHERE id = @id;", new { id = run.Id }))!;
        Assert.Equal(2, json["quorum"]!.GetValue<int>());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Lease_end_is_stored_as_fixed_width_utc_text(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await ApprovedRunAsync();

        Assert.Equal(run.Id, await Leases.ClaimAsync("instance-a", Now, Now.AddMinutes(5), None));

        Assert.Equal(DbTime.ToText(Now.AddMinutes(5)), await Store.ScalarAsync<string>("SELECT lease_until FROM runs WHERE id = @id;", new { id = run.Id }));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_run_changed_after_its_card_was_last_queued_is_behind_until_a_refresh_is_queued(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await ApprovedRunAsync();
        var key = "card:" + run.Id;
        await Store.Outbox.EnqueueAsync(Samples.Post(Samples.Conversation(), "the card", key, run.Id), Now, None);
        // The move after it (an expiry, a cancel) is stored; the refresh that should follow it is not.
        await Store.ExecuteAsync("UPDATE runs SET updated_at = @at WHERE id = @id;", new { at = DbTime.ToText(Now.AddSeconds(5)), id = run.Id });

        Assert.Equal([run.Id], await Reminders.CardsBehindAsync(Now.AddDays(-1), Now.AddSeconds(30), 10, None));
        Assert.Empty(await Reminders.CardsBehindAsync(Now.AddDays(-1), Now.AddSeconds(4), 10, None)); // not settled yet
        Assert.Empty(await Reminders.CardsBehindAsync(Now.AddSeconds(6), Now.AddSeconds(30), 10, None)); // changed before the window

        await Store.Outbox.EnqueueAsync(Samples.Update(Samples.Conversation(), "the card, refreshed", key, run.Id), Now.AddSeconds(6), None);
        Assert.Empty(await Reminders.CardsBehindAsync(Now.AddDays(-1), Now.AddSeconds(30), 10, None));
    }

    /// <summary>
    /// A revision saved as v2 whose card was never queued (a process stopped in between, the review of issue 16's
    /// change): the sweep posts v2's card before refreshing it, since an update of a card nobody has can never land.
    /// </summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task The_card_sweep_posts_the_current_versions_card_when_it_was_never_queued_then_refreshes_it(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync();
        await Store.Outbox.EnqueueAsync(Samples.Post(Samples.Conversation(), "the card", Reporter.CardKey(run.Id), run.Id), Now, None);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Runs.SavePlanAsync(run.Id, Samples.Version(2, Samples.Plan("check the payment API again"), Now), None);
        Time.Advance(TimeSpan.FromSeconds(30));
        using var signals = new WorkSignals();
        var reporter = new Reporter(Store.Outbox, signals, Time, Options.Create(new ReportingOptions()));
        var timers = new ApprovalTimers(Runs, Reminders, new RunJournal(Transitions, Store.Traces, signals, new BotInstance(Options.Create(new BotAgent.Core.Execution.ExecutionOptions())), NullLogger<RunJournal>.Instance),
            reporter, Store.Traces, Time, Options.Create(new ApprovalOptions()), NullLogger<ApprovalTimers>.Instance);

        await timers.SweepAsync(None);
        await timers.SweepAsync(None);

        Assert.Equal(
            [$"post {Reporter.CardKey(run.Id)}", $"post {Reporter.CardKey(run.Id, 2)}", $"update {Reporter.CardKey(run.Id, 2)}"],
            await QueuedAsync(run.Id));
    }
}
