using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>A request to stop a running run, left for the instance that holds its lease.</summary>
public sealed class CancelRequestContractTests : RunStoreContract
{
    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Request_to_cancel_a_running_run_is_recorded_with_who_asked(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync("instance-a");
        var other = await RunningRunAsync("instance-a");

        Assert.True(await Leases.RequestCancelAsync(run.Id, "Alice", None));

        var requests = await Leases.GetCancelRequestsAsync([run.Id, other.Id, "no-such-run"], None);
        Assert.Equal(new Dictionary<string, string> { [run.Id] = "Alice" }, requests);
        Assert.Empty(await Leases.GetCancelRequestsAsync([other.Id], None));
        Assert.Empty(await Leases.GetCancelRequestsAsync([], None));
        Assert.Equal(RunStatus.Running, await StatusAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_later_request_names_the_later_asker(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync();

        Assert.True(await Leases.RequestCancelAsync(run.Id, "Alice", None));
        Assert.True(await Leases.RequestCancelAsync(run.Id, "Bob", None));

        Assert.Equal("Bob", (await Leases.GetCancelRequestsAsync([run.Id], None))[run.Id]);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Request_to_cancel_a_run_that_is_not_running_is_refused(StoreProvider provider)
    {
        await UseAsync(provider);
        var planning = await CreateRunAsync();
        var (awaiting, _) = await AwaitingRunAsync();
        var approved = await ApprovedRunAsync();

        Assert.False(await Leases.RequestCancelAsync(planning.Id, "Alice", None));
        Assert.False(await Leases.RequestCancelAsync(awaiting.Id, "Alice", None));
        Assert.False(await Leases.RequestCancelAsync(approved.Id, "Alice", None));
        Assert.False(await Leases.RequestCancelAsync("no-such-run", "Alice", None));

        Assert.Empty(await Leases.GetCancelRequestsAsync([planning.Id, awaiting.Id, approved.Id], None));
        Assert.Equal(RunStatus.Approved, await StatusAsync(approved.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_request_is_not_reported_once_the_run_has_left_running(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync();
        Assert.True(await Leases.RequestCancelAsync(run.Id, "Alice", None));

        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.Cancelled, new RunChanges(Outcome: "cancelled by Alice"), None));

        Assert.Empty(await Leases.GetCancelRequestsAsync([run.Id], None));
        Assert.False(await Leases.RequestCancelAsync(run.Id, "Bob", None));
    }
}
