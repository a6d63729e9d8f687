namespace BotAgent.Storage.Tests.Sqlite;

public sealed class SqliteInboxTests : StoreTest
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private Task<bool> AcceptAsync(string dedupeKey, string payload = "{}", string orderingKey = "botframework:emulator:conv-1", bool processed = false, int secondsLater = 0) =>
        Store.Inbox.TryAcceptAsync("botframework", dedupeKey, orderingKey, payload, _now.AddSeconds(secondsLater), processed, None);

    private Task<string> StatusAsync(long id) => Store.ScalarAsync<string>("SELECT status FROM inbox WHERE id = $id;", ("$id", id));

    [Fact]
    public async Task Same_dedupe_key_twice_is_stored_once()
    {
        var first = await AcceptAsync("emulator:act-1", "{\"text\":\"first\"}");
        var second = await AcceptAsync("emulator:act-1", "{\"text\":\"retry\"}");

        Assert.True(first);
        Assert.False(second);
        var item = Assert.Single(await Store.Inbox.ClaimAsync(10, None));
        Assert.Equal("{\"text\":\"first\"}", item.Payload);
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM inbox;"));
    }

    [Fact]
    public async Task Twenty_concurrent_accepts_of_one_dedupe_key_store_one()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => AcceptAsync("emulator:act-dup", $"{{\"n\":{i}}}"))));

        Assert.Equal(1, results.Count(r => r));
        Assert.Single(await Store.Inbox.ClaimAsync(100, None));
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM inbox;"));
    }

    [Fact]
    public async Task Claim_returns_pending_items_oldest_first_and_fields_intact()
    {
        await AcceptAsync("k1", "{\"n\":1}", "botframework:msteams:conv-a", secondsLater: 0);
        await AcceptAsync("k2", "{\"n\":2}", "botframework:msteams:conv-b", secondsLater: 1);
        await AcceptAsync("k3", "{\"n\":3}", "botframework:msteams:conv-a", secondsLater: 2);

        var claimed = await Store.Inbox.ClaimAsync(2, None);

        Assert.Equal(["k1", "k2"], claimed.Select(i => i.DedupeKey));
        Assert.Equal("botframework", claimed[0].Adapter);
        Assert.Equal("botframework:msteams:conv-a", claimed[0].OrderingKey);
        Assert.Equal("{\"n\":1}", claimed[0].Payload);
        Assert.Equal(_now, claimed[0].ReceivedAt);
        Assert.All(claimed, i => Assert.Equal(1, i.Attempts));
        Assert.Equal(["k3"], (await Store.Inbox.ClaimAsync(10, None)).Select(i => i.DedupeKey));
    }

    [Fact]
    public async Task Claimed_items_are_not_claimed_again()
    {
        await AcceptAsync("k1");
        await AcceptAsync("k2");

        var first = await Store.Inbox.ClaimAsync(10, None);
        var second = await Store.Inbox.ClaimAsync(10, None);

        Assert.Equal(2, first.Count);
        Assert.Empty(second);
        foreach (var item in first)
            Assert.Equal("processing", await StatusAsync(item.Id));
    }

    [Fact]
    public async Task Concurrent_claims_never_hand_out_an_item_twice()
    {
        for (var i = 0; i < 30; i++)
            await AcceptAsync($"k{i}");

        var batches = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Store.Inbox.ClaimAsync(5, None))));

        var ids = batches.SelectMany(b => b).Select(i => i.Id).ToList();
        Assert.Equal(30, ids.Count);
        Assert.Equal(30, ids.Distinct().Count());
    }

    [Fact]
    public async Task Item_accepted_as_processed_is_kept_for_deduplication_but_not_claimed()
    {
        Assert.True(await AcceptAsync("inline-1", processed: true));

        Assert.False(await AcceptAsync("inline-1"));
        Assert.Empty(await Store.Inbox.ClaimAsync(10, None));
        Assert.Equal("done", await Store.ScalarAsync<string>("SELECT status FROM inbox WHERE dedupe_key = 'inline-1';"));
    }

    [Fact]
    public async Task Completed_item_is_done_and_not_claimed_again()
    {
        await AcceptAsync("k1");
        var item = Assert.Single(await Store.Inbox.ClaimAsync(10, None));

        await Store.Inbox.CompleteAsync(item.Id, None);

        Assert.Equal("done", await StatusAsync(item.Id));
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM inbox WHERE id = $id AND processed_at IS NOT NULL AND error IS NULL;", ("$id", item.Id)));
        Assert.Empty(await Store.Inbox.ClaimAsync(10, None));
        Assert.False(await AcceptAsync("k1"));
    }

    [Fact]
    public async Task Failed_item_keeps_its_error_and_is_not_claimed_again()
    {
        await AcceptAsync("k1");
        var item = Assert.Single(await Store.Inbox.ClaimAsync(10, None));

        await Store.Inbox.FailAsync(item.Id, "payload is not an activity", None);

        Assert.Equal("failed", await StatusAsync(item.Id));
        Assert.Equal("payload is not an activity", await Store.ScalarAsync<string>("SELECT error FROM inbox WHERE id = $id;", ("$id", item.Id)));
        Assert.Empty(await Store.Inbox.ClaimAsync(10, None));
        Assert.False(await AcceptAsync("k1"));
    }
}
