using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>Claims and leases: one instance runs a run at a time, and a dead instance's runs are taken over.</summary>
public sealed class LeaseContractTests : RunStoreContract
{
    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Claim_takes_an_approved_run_and_leases_it_to_the_claimer(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await ApprovedRunAsync();

        var claimed = await Leases.ClaimAsync("instance-a", Now, Now.AddMinutes(5), None);

        Assert.Equal(run.Id, claimed);
        Assert.Equal(RunStatus.Running, await StatusAsync(run.Id));
        Assert.Equal("instance-a", await LeaseOwnerAsync(run.Id));
        Assert.Equal(Now.AddMinutes(5), await LeaseUntilAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Claim_takes_the_earliest_approved_run_first_and_nothing_when_none_is_approved(StoreProvider provider)
    {
        await UseAsync(provider);
        Assert.Null(await Leases.ClaimAsync("worker", Now, Now.AddMinutes(5), None));
        var (later, laterPlan) = await AwaitingRunAsync();
        var (earlier, earlierPlan) = await AwaitingRunAsync();
        await AwaitingRunAsync(); // still waiting: never claimed
        await Transitions.DecideAsync(Samples.Approve(later.Id, laterPlan, Samples.Approver(1), Now.AddSeconds(10)), 1, None);
        await Transitions.DecideAsync(Samples.Approve(earlier.Id, earlierPlan, Samples.Approver(1), Now.AddSeconds(5)), 1, None);
        var at = Now.AddMinutes(1);

        Assert.Equal(earlier.Id, await Leases.ClaimAsync("worker", at, at.AddMinutes(5), None));
        Assert.Equal(later.Id, await Leases.ClaimAsync("worker", at, at.AddMinutes(5), None));
        Assert.Null(await Leases.ClaimAsync("worker", at, at.AddMinutes(5), None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Claim_does_not_take_a_running_run_whose_lease_is_live(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-a"); // leased until Now + 5 min

        Assert.Null(await Leases.ClaimAsync("instance-b", Now.AddMinutes(1), Now.AddMinutes(6), None));
        Assert.Null(await Leases.ClaimAsync("instance-b", Now.AddMinutes(5), Now.AddMinutes(10), None));

        Assert.Equal("instance-a", await LeaseOwnerAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Claim_takes_over_a_running_run_whose_lease_expired(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-a"); // leased until Now + 5 min
        var after = Now.AddMinutes(5).AddTicks(1);

        var claimed = await Leases.ClaimAsync("instance-b", after, after.AddMinutes(5), None);

        Assert.Equal(run.Id, claimed);
        Assert.Equal(RunStatus.Running, await StatusAsync(run.Id));
        Assert.Equal("instance-b", await LeaseOwnerAsync(run.Id));
        Assert.Null(await Leases.ClaimAsync("instance-c", after, after.AddMinutes(5), None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Twenty_concurrent_claimers_never_get_the_same_run(StoreProvider provider)
    {
        await UseAsync(provider);
        var approved = new List<string>();
        for (var i = 0; i < 8; i++)
            approved.Add((await ApprovedRunAsync()).Id);

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            (Owner: $"instance-{i}", RunId: await Leases.ClaimAsync($"instance-{i}", Now, Now.AddMinutes(5), None)))));

        var won = claims.Where(c => c.RunId is not null).ToList();
        Assert.Equal(approved.Order(StringComparer.Ordinal), won.Select(c => c.RunId!).Order(StringComparer.Ordinal));
        foreach (var (owner, runId) in won)
            Assert.Equal(owner, await LeaseOwnerAsync(runId!));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Twenty_concurrent_claimers_take_over_an_expired_run_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-dead");
        var after = Now.AddMinutes(6);

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Leases.ClaimAsync($"instance-{i}", after, after.AddMinutes(5), None))));

        Assert.Equal(run.Id, Assert.Single(claims, c => c is not null));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Renewal_extends_the_leases_the_owner_holds_and_returns_them(StoreProvider provider)
    {
        await UseAsync(provider);
        var first = await RunningRunAsync("instance-a");
        var second = await RunningRunAsync("instance-a");
        var other = await RunningRunAsync("instance-b");

        var held = await Leases.RenewLeasesAsync("instance-a", [first.Id, second.Id, other.Id, "no-such-run"], Now.AddMinutes(10), None);

        Assert.Equal(new[] { first.Id, second.Id }.Order(StringComparer.Ordinal), held.Order(StringComparer.Ordinal));
        var later = Now.AddMinutes(7);
        Assert.Equal(other.Id, await Leases.ClaimAsync("instance-c", later, later.AddMinutes(5), None)); // not renewed: taken over
        Assert.Null(await Leases.ClaimAsync("instance-c", later, later.AddMinutes(5), None)); // renewed: still instance-a's
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Renewal_after_another_owner_took_over_returns_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-a");
        var after = Now.AddMinutes(6);
        Assert.Equal(run.Id, await Leases.ClaimAsync("instance-b", after, after.AddMinutes(5), None));

        var oldOwner = await Leases.RenewLeasesAsync("instance-a", [run.Id], after.AddMinutes(5), None);
        var newOwner = await Leases.RenewLeasesAsync("instance-b", [run.Id], after.AddMinutes(5), None);

        Assert.Empty(oldOwner);
        Assert.Equal([run.Id], newOwner);
        Assert.Equal("instance-b", await LeaseOwnerAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Renewal_of_a_run_that_left_running_returns_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-a");
        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.Succeeded, new RunChanges(Outcome: "done"), None));

        Assert.Empty(await Leases.RenewLeasesAsync("instance-a", [run.Id], Now.AddMinutes(10), None));
        Assert.Empty(await Leases.RenewLeasesAsync("instance-a", [], Now.AddMinutes(10), None));
        Assert.Null(await LeaseOwnerAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Released_lease_makes_the_run_claimable_at_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-a"); // leased until Now + 5 min
        var at = Now.AddMinutes(1);

        await Leases.ReleaseLeaseAsync("instance-a", run.Id, at, None);

        Assert.Equal(run.Id, await Leases.ClaimAsync("instance-b", at, at.AddMinutes(5), None));
        Assert.Equal("instance-b", await LeaseOwnerAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Release_by_an_instance_that_does_not_hold_the_lease_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-a");
        var at = Now.AddMinutes(1);

        await Leases.ReleaseLeaseAsync("instance-b", run.Id, at, None);

        Assert.Null(await Leases.ClaimAsync("instance-c", at.AddSeconds(1), at.AddMinutes(5), None));
        Assert.Equal("instance-a", await LeaseOwnerAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Releasing_all_leases_makes_every_running_run_claimable_at_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var ofA = await RunningRunAsync("instance-a");
        var ofB = await RunningRunAsync("instance-b");
        var (awaiting, _) = await AwaitingRunAsync();
        var at = Now.AddMinutes(1);

        var released = await Leases.ReleaseAllLeasesAsync(at, None);

        Assert.Equal(2, released);
        var claimed = new[]
        {
            await Leases.ClaimAsync("instance-c", at, at.AddMinutes(5), None),
            await Leases.ClaimAsync("instance-c", at, at.AddMinutes(5), None),
            await Leases.ClaimAsync("instance-c", at, at.AddMinutes(5), None),
        };
        Assert.Equal(new[] { ofA.Id, ofB.Id }.Order(StringComparer.Ordinal), claimed.OfType<string>().Order(StringComparer.Ordinal));
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(awaiting.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Leaving_running_ends_the_lease(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-a");

        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.AwaitingApproval, RunChanges.None, None));

        Assert.Null(await LeaseOwnerAsync(run.Id));
        Assert.Null(await LeaseUntilAsync(run.Id));
    }
}
