using BotAgent.Core.Intake;

namespace BotAgent.Storage.Tests.Stores;

public sealed class InboxStoreTests : StoreTest
{
    private Task<bool> AcceptAsync(string dedupeKey, string payload = "{}", string orderingKey = "botframework:emulator:conv-1", bool processed = false, int secondsLater = 0) =>
        Store.Inbox.TryAcceptAsync("botframework", dedupeKey, orderingKey, payload, Now.AddSeconds(secondsLater), processed, None);

    private Task<IReadOnlyList<InboundItem>> ClaimAsync(int max = 10, string owner = "instance-a", DateTimeOffset? at = null, TimeSpan? lease = null) =>
        Store.Inbox.ClaimAsync(owner, max, at ?? Now, (at ?? Now) + (lease ?? TimeSpan.FromMinutes(5)), None);

    private Task<string> StatusAsync(long id) => Store.ScalarAsync<string>("SELECT status FROM inbox WHERE id = @id;", new { id });

    [Theory, OnSqlite, OnPostgres]
    public async Task Same_dedupe_key_twice_is_stored_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var first = await AcceptAsync("emulator:act-1", "{\"text\":\"first\"}");
        var second = await AcceptAsync("emulator:act-1", "{\"text\":\"retry\"}");

        Assert.True(first);
        Assert.False(second);
        var item = Assert.Single(await ClaimAsync(10));
        Assert.Equal("{\"text\":\"first\"}", item.Payload);
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM inbox;"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_released_item_goes_back_uncounted_and_is_claimed_again_in_order(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("emulator:act-1");
        await AcceptAsync("emulator:act-2");
        var claimed = await ClaimAsync();
        Assert.Equal(2, claimed.Count);

        // The first is put back to be retried, the second goes back with it, untouched.
        await Store.Inbox.RetryAsync(claimed[0].Id, "instance-a", "transient", None);
        await Store.Inbox.ReleaseAsync(claimed[1].Id, "instance-a", None);

        Assert.Equal("pending", await StatusAsync(claimed[1].Id));
        var again = await ClaimAsync();
        Assert.Equal([claimed[0].Id, claimed[1].Id], again.Select(i => i.Id));
        Assert.Equal([2, 1], again.Select(i => i.Attempts));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_renewed_lease_keeps_the_item_and_only_its_holder_can_renew_it(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("emulator:act-1");
        var item = Assert.Single(await ClaimAsync(owner: "instance-a", lease: TimeSpan.FromSeconds(30)));

        Assert.Equal(0, await Store.Inbox.RenewAsync("instance-b", [item.Id], Now.AddSeconds(90), None));
        Assert.Equal(1, await Store.Inbox.RenewAsync("instance-a", [item.Id], Now.AddSeconds(60), None));

        // Past the first lease but inside the renewed one: nobody else takes it; past that, another instance does.
        Assert.Empty(await ClaimAsync(owner: "instance-b", at: Now.AddSeconds(45)));
        Assert.Equal([item.Id], (await ClaimAsync(owner: "instance-b", at: Now.AddSeconds(61))).Select(i => i.Id));
        Assert.Equal(0, await Store.Inbox.RenewAsync("instance-a", [item.Id], Now.AddSeconds(120), None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Twenty_concurrent_accepts_of_one_dedupe_key_store_one(StoreProvider provider)
    {
        await UseAsync(provider);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => AcceptAsync("emulator:act-dup", $"{{\"n\":{i}}}"))));

        Assert.Equal(1, results.Count(r => r));
        Assert.Single(await ClaimAsync(100));
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM inbox;"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_returns_pending_items_oldest_first_and_fields_intact(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("k1", "{\"n\":1}", "botframework:msteams:conv-a", secondsLater: 0);
        await AcceptAsync("k2", "{\"n\":2}", "botframework:msteams:conv-b", secondsLater: 1);
        await AcceptAsync("k3", "{\"n\":3}", "botframework:msteams:conv-a", secondsLater: 2);

        var claimed = await ClaimAsync(2);

        Assert.Equal(["k1", "k2"], claimed.Select(i => i.DedupeKey));
        Assert.Equal("botframework", claimed[0].Adapter);
        Assert.Equal("botframework:msteams:conv-a", claimed[0].OrderingKey);
        Assert.Equal("{\"n\":1}", claimed[0].Payload);
        Assert.Equal(Now, claimed[0].ReceivedAt);
        Assert.All(claimed, i => Assert.Equal(1, i.Attempts));
        Assert.Empty(await ClaimAsync(10)); // k3 waits for k1, the earlier item of its conversation
        await Store.Inbox.CompleteAsync(claimed[0].Id, "instance-a", None);
        Assert.Equal(["k3"], (await ClaimAsync(10)).Select(i => i.DedupeKey));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claimed_items_are_not_claimed_again(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("k1");
        await AcceptAsync("k2");

        var first = await ClaimAsync(10);
        var second = await ClaimAsync(10);

        Assert.Equal(2, first.Count);
        Assert.Empty(second);
        foreach (var item in first)
            Assert.Equal("processing", await StatusAsync(item.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Concurrent_claims_never_hand_out_an_item_twice(StoreProvider provider)
    {
        await UseAsync(provider);
        for (var i = 0; i < 30; i++)
            await AcceptAsync($"k{i}", orderingKey: $"botframework:emulator:conv-{i}");

        var batches = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => ClaimAsync(5, $"instance-{i}"))));

        var ids = batches.SelectMany(b => b).Select(i => i.Id).ToList();
        Assert.Equal(30, ids.Count);
        Assert.Equal(30, ids.Distinct().Count());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Item_accepted_as_processed_is_kept_for_deduplication_but_not_claimed(StoreProvider provider)
    {
        await UseAsync(provider);
        Assert.True(await AcceptAsync("inline-1", processed: true));

        Assert.False(await AcceptAsync("inline-1"));
        Assert.Empty(await ClaimAsync(10));
        Assert.Equal("done", await Store.ScalarAsync<string>("SELECT status FROM inbox WHERE dedupe_key = 'inline-1';"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Completed_item_is_done_and_not_claimed_again(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("k1");
        var item = Assert.Single(await ClaimAsync(10));

        await Store.Inbox.CompleteAsync(item.Id, "instance-a", None);

        Assert.Equal("done", await StatusAsync(item.Id));
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM inbox WHERE id = @id AND processed_at IS NOT NULL AND error IS NULL;", new { id = item.Id }));
        Assert.Empty(await ClaimAsync(10));
        Assert.False(await AcceptAsync("k1"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Failed_item_keeps_its_error_and_is_not_claimed_again(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("k1");
        var item = Assert.Single(await ClaimAsync(10));

        await Store.Inbox.FailAsync(item.Id, "instance-a", "payload is not an activity", None);

        Assert.Equal("failed", await StatusAsync(item.Id));
        Assert.Equal("payload is not an activity", await Store.ScalarAsync<string>("SELECT error FROM inbox WHERE id = @id;", new { id = item.Id }));
        Assert.Empty(await ClaimAsync(10));
        Assert.False(await AcceptAsync("k1"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_leases_the_items_to_the_claimer(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("k1");

        var item = Assert.Single(await ClaimAsync(owner: "instance-a", lease: TimeSpan.FromMinutes(5)));

        Assert.Equal("instance-a", await Store.ScalarAsync<string>("SELECT lease_owner FROM inbox WHERE id = @id;", new { id = item.Id }));
        Assert.Equal(DbTime.ToText(Now.AddMinutes(5)), await Store.ScalarAsync<string>("SELECT lease_until FROM inbox WHERE id = @id;", new { id = item.Id }));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Item_whose_lease_is_live_is_not_claimed_by_another_owner(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("k1");
        Assert.Single(await ClaimAsync(owner: "instance-a", lease: TimeSpan.FromMinutes(1)));

        Assert.Empty(await ClaimAsync(owner: "instance-b", at: Now.AddSeconds(30)));
        Assert.Empty(await ClaimAsync(owner: "instance-b", at: Now.AddMinutes(1)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Item_whose_lease_expired_is_claimed_by_another_owner_as_a_new_attempt(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("k1", "{\"n\":1}");
        var first = Assert.Single(await ClaimAsync(owner: "instance-a", lease: TimeSpan.FromMinutes(1)));

        var taken = Assert.Single(await ClaimAsync(owner: "instance-b", at: Now.AddMinutes(2)));

        Assert.Equal(first.Id, taken.Id);
        Assert.Equal("{\"n\":1}", taken.Payload);
        Assert.Equal(2, taken.Attempts);
        Assert.Equal("instance-b", await Store.ScalarAsync<string>("SELECT lease_owner FROM inbox WHERE id = @id;", new { id = taken.Id }));
        Assert.Empty(await ClaimAsync(owner: "instance-c", at: Now.AddMinutes(3)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Conversation_whose_earlier_item_is_being_processed_under_a_live_lease_is_skipped(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("x1", orderingKey: "conv-x");
        await AcceptAsync("x2", orderingKey: "conv-x");
        await AcceptAsync("y1", orderingKey: "conv-y");
        var x1 = Assert.Single(await ClaimAsync(max: 1, owner: "instance-a"));
        Assert.Equal("x1", x1.DedupeKey);

        var meanwhile = await ClaimAsync(owner: "instance-b", at: Now.AddSeconds(10));
        await Store.Inbox.CompleteAsync(x1.Id, "instance-a", None);
        var afterwards = await ClaimAsync(owner: "instance-b", at: Now.AddSeconds(20));

        Assert.Equal(["y1"], meanwhile.Select(i => i.DedupeKey));
        Assert.Equal(["x2"], afterwards.Select(i => i.DedupeKey));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Expired_earlier_item_is_claimed_again_ahead_of_the_later_items_of_its_conversation(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("x1", orderingKey: "conv-x");
        await AcceptAsync("x2", orderingKey: "conv-x");
        Assert.Single(await ClaimAsync(max: 1, owner: "instance-a", lease: TimeSpan.FromMinutes(1)));

        var taken = await ClaimAsync(owner: "instance-b", at: Now.AddMinutes(2));

        Assert.Equal(["x1", "x2"], taken.Select(i => i.DedupeKey));
        Assert.Equal([2, 1], taken.Select(i => i.Attempts));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Concurrent_claimers_never_hold_items_of_one_conversation_at_the_same_time(StoreProvider provider)
    {
        await UseAsync(provider);
        var claimed = new List<(string Owner, string OrderingKey, string DedupeKey)>();
        for (var round = 0; round < 10; round++)
        {
            for (var item = 0; item < 6; item++)
                for (var conversation = 0; conversation < 5; conversation++)
                    await AcceptAsync($"r{round}-c{conversation}-{item}", orderingKey: $"r{round}-conv-{conversation}");

            var batches = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
                (Owner: $"instance-{round}-{i}", Items: await ClaimAsync(max: 4, owner: $"instance-{round}-{i}")))));
            claimed.AddRange(batches.SelectMany(b => b.Items.Select(item => (b.Owner, item.OrderingKey, item.DedupeKey))));
        }

        Assert.Equal(claimed.Count, claimed.Select(c => c.DedupeKey).Distinct().Count());
        foreach (var conversation in claimed.GroupBy(c => c.OrderingKey))
            Assert.True(conversation.Select(c => c.Owner).Distinct().Count() == 1,
                $"{conversation.Key} is held by {string.Join(", ", conversation.Select(c => $"{c.Owner} ({c.DedupeKey})"))}");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Releasing_all_makes_every_item_in_progress_claimable_at_once(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("k1", orderingKey: "conv-1");
        await AcceptAsync("k2", orderingKey: "conv-2");
        await AcceptAsync("k3", orderingKey: "conv-3", processed: true);
        Assert.Equal(2, (await ClaimAsync(owner: "instance-a", lease: TimeSpan.FromMinutes(5))).Count);
        var at = Now.AddMinutes(1);

        var released = await Store.Inbox.ReleaseAllAsync(at, None);

        Assert.Equal(2, released);
        Assert.Equal(["k1", "k2"], (await ClaimAsync(owner: "instance-b", at: at)).Select(i => i.DedupeKey));
    }

    /// <summary>
    /// An instance that stalled past its lease (a long pause, a database restart that cut its renewals) while another
    /// took the item over must not end the other's claim: a retry from it would hand the item to a third instance.
    /// </summary>
    [Theory, OnSqlite("complete"), OnSqlite("fail"), OnSqlite("retry"), OnSqlite("release"),
     OnPostgres("complete"), OnPostgres("fail"), OnPostgres("retry"), OnPostgres("release")]
    public async Task An_instance_whose_lease_was_taken_over_cannot_end_the_new_holders_claim(StoreProvider provider, string end)
    {
        await UseAsync(provider);
        await AcceptAsync("k1");
        var first = Assert.Single(await ClaimAsync(owner: "instance-a", lease: TimeSpan.FromSeconds(30)));
        var taken = Assert.Single(await ClaimAsync(owner: "instance-b", at: Now.AddMinutes(1), lease: TimeSpan.FromSeconds(30)));
        Assert.Equal(first.Id, taken.Id);

        await (end switch
        {
            "complete" => Store.Inbox.CompleteAsync(first.Id, "instance-a", None),
            "fail" => Store.Inbox.FailAsync(first.Id, "instance-a", "late failure", None),
            "retry" => Store.Inbox.RetryAsync(first.Id, "instance-a", "late retry", None),
            _ => Store.Inbox.ReleaseAsync(first.Id, "instance-a", None),
        });

        Assert.Equal("processing", await StatusAsync(first.Id));
        Assert.Equal("instance-b", await Store.ScalarAsync<string>("SELECT lease_owner FROM inbox WHERE id = @id;", new { id = first.Id }));
        Assert.Empty(await ClaimAsync(owner: "instance-c", at: Now.AddMinutes(1).AddSeconds(5)));
        await Store.Inbox.CompleteAsync(first.Id, "instance-b", None);
        Assert.Equal("done", await StatusAsync(first.Id));
    }
}
