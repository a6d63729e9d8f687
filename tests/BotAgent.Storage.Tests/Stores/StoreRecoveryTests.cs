using BotAgent.Core.Runs;
using BotAgent.Storage.Tests.Contract;

namespace BotAgent.Storage.Tests.Stores;

/// <summary>
/// At start, SQLite (one instance) resumes at once whatever a previous process had claimed; PostgreSQL
/// (several instances) leaves it to lease expiry, since the holder may be another live instance.
/// </summary>
public sealed class StoreRecoveryTests : RunStoreContract
{
    private async Task<(Run Run, long InboxId, long PostId, long UpdateId)> WorkClaimedByAnotherInstanceAsync()
    {
        var run = await RunningRunAsync("instance-a"); // leased until Now + 5 min
        await Store.Inbox.TryAcceptAsync("botframework", "act-1", "conv-1", "{}", Now, processed: false, None);
        var item = Assert.Single(await Store.Inbox.ClaimAsync("instance-a", 10, Now, Now.AddMinutes(5), None));
        await Store.Outbox.EnqueueAsync(Samples.Post(Samples.Conversation("19:a"), "post", "step:run-1:s1"), Now, None);
        await Store.Outbox.EnqueueAsync(Samples.Update(Samples.Conversation("19:b"), "update", "card:run-2"), Now, None);
        var sending = await Store.Outbox.ClaimDueAsync("instance-a", 10, Now, Now.AddMinutes(5), None);
        Time.Advance(TimeSpan.FromMinutes(1)); // the new process starts while every lease is still live
        return (run, item.Id, sending.Single(m => Title(m.Message.View) == "post").Id, sending.Single(m => Title(m.Message.View) == "update").Id);
    }

    private static string Title(BotAgent.Core.Reporting.OutboundView view) => ((BotAgent.Core.Reporting.NoticeView)view).Title;

    private Task<string> OutboxStatusAsync(long id) => Store.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id;", new { id });

    [Theory, OnSqlite]
    public async Task Recovery_on_sqlite_resumes_runs_and_inbound_items_and_recovers_messages_at_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, inboxId, postId, updateId) = await WorkClaimedByAnotherInstanceAsync();

        await Store.Recovery.RecoverAsync(None);

        Assert.Equal(run.Id, await Store.Leases.ClaimAsync("instance-b", Now, Now.AddMinutes(5), None));
        Assert.Equal(inboxId, Assert.Single(await Store.Inbox.ClaimAsync("instance-b", 10, Now, Now.AddMinutes(5), None)).Id);
        Assert.Equal("ambiguous", await OutboxStatusAsync(postId));
        Assert.Equal("pending", await OutboxStatusAsync(updateId));
    }

    [Theory, OnPostgres]
    public async Task Recovery_on_postgres_changes_nothing_and_leaves_live_leases_to_their_holders(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, _, postId, updateId) = await WorkClaimedByAnotherInstanceAsync();

        await Store.Recovery.RecoverAsync(None);

        Assert.Null(await Store.Leases.ClaimAsync("instance-b", Now, Now.AddMinutes(5), None));
        Assert.Equal("instance-a", await LeaseOwnerAsync(run.Id));
        Assert.Empty(await Store.Inbox.ClaimAsync("instance-b", 10, Now, Now.AddMinutes(5), None));
        Assert.Equal("sending", await OutboxStatusAsync(postId));
        Assert.Equal("sending", await OutboxStatusAsync(updateId));
    }

    [Theory, OnSqlite]
    public async Task Recovery_on_sqlite_with_nothing_left_claimed_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var (awaiting, _) = await AwaitingRunAsync();

        await Store.Recovery.RecoverAsync(None);

        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(awaiting.Id));
        Assert.Null(await Store.Leases.ClaimAsync("instance-b", Now, Now.AddMinutes(5), None));
    }
}
