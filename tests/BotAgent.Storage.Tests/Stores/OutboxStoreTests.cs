using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Storage.Tests.Stores;

public sealed class OutboxStoreTests : StoreTest
{
    private static readonly ConversationKey ConversationA = Samples.Conversation("19:a@thread.tacv2;messageid=1");
    private static readonly ConversationKey ConversationB = Samples.Conversation("19:b@thread.tacv2;messageid=2");

    private Task EnqueueAsync(OutboundMessage message) => Store.Outbox.EnqueueAsync(message, Now, None);

    private Task<IReadOnlyList<OutboxItem>> ClaimAsync(DateTimeOffset? at = null, string owner = "instance-a", TimeSpan? lease = null, int max = 10) =>
        Store.Outbox.ClaimDueAsync(owner, max, at ?? Now, (at ?? Now) + (lease ?? TimeSpan.FromMinutes(1)), None);

    private Task<string> StatusAsync(long id) => Store.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id;", new { id });

    private static string Title(OutboxItem item) => ((NoticeView)item.Message.View).Title;

    [Theory, OnSqlite, OnPostgres]
    public async Task Claimed_message_reads_back_as_enqueued(StoreProvider provider)
    {
        await UseAsync(provider);
        var message = Samples.Post(ConversationA, "Plan awaiting approval", "card:run-1", "run-1");
        await EnqueueAsync(message);

        var item = Assert.Single(await ClaimAsync());

        Assert.Equal(0, item.Attempts);
        Assert.Null(item.TargetMessageId);
        Assert.Equal("run-1", item.Message.RunId);
        Assert.Equal(OutboundKind.Post, item.Message.Kind);
        Assert.Equal("card:run-1", item.Message.MessageKey);
        Assert.Equal(ConversationA, item.Message.Conversation);
        var view = Assert.IsType<NoticeView>(item.Message.View);
        Assert.Equal("Plan awaiting approval", view.Title);
        Assert.Equal(["line"], view.Lines);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Messages_to_one_conversation_are_claimed_one_at_a_time_in_order(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "first"));
        await EnqueueAsync(Samples.Post(ConversationA, "second"));
        await EnqueueAsync(Samples.Post(ConversationA, "third"));

        var head = Assert.Single(await ClaimAsync());
        Assert.Equal("first", Title(head));
        Assert.Empty(await ClaimAsync());

        await Store.Outbox.MarkSentAsync(head.Id, "act-1", null, Now, None);
        var next = Assert.Single(await ClaimAsync());
        Assert.Equal("second", Title(next));
        Assert.Empty(await ClaimAsync());

        await Store.Outbox.MarkSentAsync(next.Id, "act-2", null, Now, None);
        Assert.Equal("third", Title(Assert.Single(await ClaimAsync())));
    }

    [Theory, OnSqlite("failed"), OnSqlite("ambiguous"), OnPostgres("failed"), OnPostgres("ambiguous")]
    public async Task Message_that_ended_without_delivery_releases_the_next_one(StoreProvider provider, string end)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "first"));
        await EnqueueAsync(Samples.Post(ConversationA, "second"));
        var head = Assert.Single(await ClaimAsync());

        if (end == "failed")
            await Store.Outbox.MarkFailedAsync(head.Id, "403 Forbidden", Now, None);
        else
            await Store.Outbox.MarkAmbiguousAsync(head.Id, "connection reset after send", Now, None);

        Assert.Equal("second", Title(Assert.Single(await ClaimAsync())));
        Assert.Equal(end, await StatusAsync(head.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Messages_to_different_conversations_are_claimed_together(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "a1"));
        await EnqueueAsync(Samples.Post(ConversationA, "a2"));
        await EnqueueAsync(Samples.Post(ConversationB, "b1"));
        await EnqueueAsync(Samples.Post(ConversationB, "b2"));

        var claimed = await ClaimAsync();

        Assert.Equal(["a1", "b1"], claimed.Select(Title));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_respects_the_maximum(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "a1"));
        await EnqueueAsync(Samples.Post(ConversationB, "b1"));

        var claimed = await ClaimAsync(max: 1);

        Assert.Equal(["a1"], claimed.Select(Title));
        Assert.Equal(["b1"], (await ClaimAsync()).Select(Title));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Concurrent_claims_hand_out_each_conversation_head_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var conversations = Enumerable.Range(0, 10).Select(i => Samples.Conversation($"19:c{i}@thread.tacv2")).ToList();
        foreach (var conversation in conversations)
        {
            await EnqueueAsync(Samples.Post(conversation, "first"));
            await EnqueueAsync(Samples.Post(conversation, "second"));
        }

        var batches = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => ClaimAsync(owner: $"instance-{i}", max: 3))));

        var claimed = batches.SelectMany(b => b).ToList();
        Assert.Equal(10, claimed.Count);
        Assert.All(claimed, i => Assert.Equal("first", Title(i)));
        Assert.Equal(10, claimed.Select(i => i.Message.Conversation.OrderingKey).Distinct().Count());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Newer_update_supersedes_a_pending_update_of_the_same_message(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "card v1", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationA, "card v3", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationA, "other card v2", "card:run-2"));

        var post = Assert.Single(await ClaimAsync());
        Assert.Equal("card v1", Title(post));
        await Store.Outbox.MarkSentAsync(post.Id, "act-9", null, Now, None);

        var update = Assert.Single(await ClaimAsync());
        Assert.Equal("card v3", Title(update));
        Assert.Equal(OutboundKind.Update, update.Message.Kind);
        await Store.Outbox.MarkSentAsync(update.Id, null, null, Now, None);

        Assert.Equal("other card v2", Title(Assert.Single(await ClaimAsync())));
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE status = 'superseded';"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Update_being_sent_is_not_superseded_and_the_newer_update_follows_it(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        var sending = Assert.Single(await ClaimAsync());

        await EnqueueAsync(Samples.Update(ConversationA, "card v3", "card:run-1"));

        Assert.Empty(await ClaimAsync());
        await Store.Outbox.MarkSentAsync(sending.Id, null, null, Now, None);
        Assert.Equal("card v3", Title(Assert.Single(await ClaimAsync())));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Post_does_not_supersede_pending_updates(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        await EnqueueAsync(Samples.Post(ConversationA, "step result", "card:run-1"));

        Assert.Equal("card v2", Title(Assert.Single(await ClaimAsync())));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Update_carries_the_activity_id_of_the_sent_post_with_the_same_message_key(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "card v1", "card:run-1"));
        await EnqueueAsync(Samples.Post(ConversationB, "other card v1", "card:run-2"));
        var posts = await ClaimAsync();
        await Store.Outbox.MarkSentAsync(posts.Single(p => Title(p) == "card v1").Id, "act-111", null, Now, None);
        await Store.Outbox.MarkSentAsync(posts.Single(p => Title(p) == "other card v1").Id, "act-222", null, Now, None);

        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationB, "other card v2", "card:run-2"));
        var updates = await ClaimAsync();

        Assert.Equal("act-111", updates.Single(u => Title(u) == "card v2").TargetMessageId);
        Assert.Equal("act-222", updates.Single(u => Title(u) == "other card v2").TargetMessageId);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Update_of_a_post_that_was_never_sent_has_no_target(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "card v1", "card:run-1"));
        var post = Assert.Single(await ClaimAsync());
        await Store.Outbox.MarkFailedAsync(post.Id, "403", Now, None);
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));

        var update = Assert.Single(await ClaimAsync());

        Assert.Null(update.TargetMessageId);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Retry_later_keeps_the_message_back_until_it_is_due_and_blocks_its_conversation(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "first"));
        await EnqueueAsync(Samples.Post(ConversationA, "second"));
        await EnqueueAsync(Samples.Post(ConversationB, "other"));
        var claimed = await ClaimAsync();
        var first = claimed.Single(i => Title(i) == "first");
        await Store.Outbox.MarkSentAsync(claimed.Single(i => Title(i) == "other").Id, "act-1", null, Now, None);

        await Store.Outbox.RetryLaterAsync(first.Id, Now.AddMinutes(1), "429 Too Many Requests", None);

        Assert.Empty(await ClaimAsync(Now));
        Assert.Empty(await ClaimAsync(Now.AddSeconds(59)));
        var retried = Assert.Single(await ClaimAsync(Now.AddMinutes(1)));
        Assert.Equal("first", Title(retried));
        Assert.Equal(1, retried.Attempts);
        Assert.Equal("429 Too Many Requests", await Store.ScalarAsync<string>("SELECT error FROM outbox WHERE id = @id;", new { id = first.Id }));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Deferred_message_stays_its_conversations_head_until_due_and_counts_no_attempt(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "first"));
        await EnqueueAsync(Samples.Post(ConversationA, "second"));
        var first = Assert.Single(await ClaimAsync());

        await Store.Outbox.DeferAsync(first.Id, Now.AddMilliseconds(150), None);

        Assert.Equal("pending", await StatusAsync(first.Id));
        Assert.Empty(await ClaimAsync(Now.AddMilliseconds(149)));
        var again = Assert.Single(await ClaimAsync(Now.AddMilliseconds(150)));
        Assert.Equal("first", Title(again));
        Assert.Equal(0, again.Attempts);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Message_enqueued_in_the_future_is_not_claimed_before_its_time(StoreProvider provider)
    {
        await UseAsync(provider);
        await Store.Outbox.EnqueueAsync(Samples.Post(ConversationA, "later"), Now.AddMinutes(5), None);

        Assert.Empty(await ClaimAsync(Now));
        Assert.Equal("later", Title(Assert.Single(await ClaimAsync(Now.AddMinutes(5)))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Keyed_post_enqueued_twice_is_stored_once(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "s1 succeeded", "step:run-1:s1", "run-1"));
        await EnqueueAsync(Samples.Post(ConversationA, "s1 succeeded (resumed)", "step:run-1:s1", "run-1"));

        var post = Assert.Single(await ClaimAsync());
        Assert.Equal("s1 succeeded", Title(post));
        await Store.Outbox.MarkSentAsync(post.Id, "act-1", null, Now, None);
        await EnqueueAsync(Samples.Post(ConversationA, "s1 succeeded (resumed again)", "step:run-1:s1", "run-1"));

        Assert.Empty(await ClaimAsync());
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE message_key = 'step:run-1:s1';"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Twenty_concurrent_enqueues_of_one_keyed_post_store_it_once(StoreProvider provider)
    {
        await UseAsync(provider);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => EnqueueAsync(Samples.Post(ConversationA, $"copy {i}", "summary:run-1", "run-1")))));

        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM outbox;"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Posts_without_a_key_and_updates_are_each_stored(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "hello"));
        await EnqueueAsync(Samples.Post(ConversationA, "hello"));
        await EnqueueAsync(Samples.Post(ConversationA, "card v1", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));

        Assert.Equal(4L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM outbox;"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_leases_the_messages_to_the_claimer(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "first"));

        var item = Assert.Single(await ClaimAsync(owner: "instance-a", lease: TimeSpan.FromMinutes(1)));

        Assert.Equal("sending", await StatusAsync(item.Id));
        Assert.Equal("instance-a", await Store.ScalarAsync<string>("SELECT lease_owner FROM outbox WHERE id = @id;", new { id = item.Id }));
        Assert.Equal(DbTime.ToText(Now.AddMinutes(1)), await Store.ScalarAsync<string>("SELECT lease_until FROM outbox WHERE id = @id;", new { id = item.Id }));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Recovery_sends_an_orphaned_update_again_marks_an_orphaned_post_ambiguous_and_leaves_live_ones_alone(StoreProvider provider)
    {
        await UseAsync(provider);
        var conversationC = Samples.Conversation("19:c@thread.tacv2");
        var conversationD = Samples.Conversation("19:d@thread.tacv2");
        await EnqueueAsync(Samples.Post(ConversationA, "orphaned post"));
        await EnqueueAsync(Samples.Update(ConversationB, "orphaned update", "card:run-1"));
        var orphaned = await ClaimAsync(owner: "instance-dead", lease: TimeSpan.FromMinutes(1));
        await EnqueueAsync(Samples.Post(conversationC, "live post"));
        await EnqueueAsync(Samples.Update(conversationD, "live update", "card:run-2"));
        var live = await ClaimAsync(at: Now.AddSeconds(90), owner: "instance-alive", lease: TimeSpan.FromMinutes(1));
        Assert.Equal(2, orphaned.Count);
        Assert.Equal(2, live.Count);

        var recovered = await Store.Outbox.RecoverAsync(Now.AddMinutes(2), all: false, None);

        Assert.Equal(2, recovered);
        var post = orphaned.Single(i => i.Message.Kind == OutboundKind.Post);
        Assert.Equal("ambiguous", await StatusAsync(post.Id));
        Assert.NotNull(await Store.ScalarAsync<string?>("SELECT error FROM outbox WHERE id = @id;", new { id = post.Id }));
        Assert.Equal("pending", await StatusAsync(orphaned.Single(i => i.Message.Kind == OutboundKind.Update).Id));
        foreach (var item in live)
            Assert.Equal("sending", await StatusAsync(item.Id));
        var resent = Assert.Single(await ClaimAsync(at: Now.AddMinutes(2), owner: "instance-b"));
        Assert.Equal("orphaned update", Title(resent));
    }

    [Theory, OnSqlite("card:run-1"), OnSqlite("answer:run-1"), OnSqlite("decision:run-1:7"), OnPostgres("card:run-1"), OnPostgres("answer:run-1"), OnPostgres("decision:run-1:7")]
    public async Task Recovery_sends_an_orphaned_plan_card_or_answer_again_marked_as_maybe_arrived(StoreProvider provider, string key)
    {
        // A kill mid-post of the plan card (or of "could not plan", when there is none) must not leave the person who
        // asked with no answer (issue 16's kill loop; the PostgreSQL soak for answers).
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "plan card", key));
        var orphaned = Assert.Single(await ClaimAsync(owner: "instance-dead", lease: TimeSpan.FromMinutes(1)));
        Assert.False(orphaned.MayHaveArrived);

        await Store.Outbox.RecoverAsync(Now.AddMinutes(2), all: false, None);

        Assert.Equal("pending", await StatusAsync(orphaned.Id));
        var again = Assert.Single(await ClaimAsync(at: Now.AddMinutes(2), owner: "instance-b"));
        Assert.Equal(orphaned.Id, again.Id);
        Assert.True(again.MayHaveArrived);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Recovery_of_all_treats_every_message_being_sent_as_orphaned(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "post"));
        await EnqueueAsync(Samples.Update(ConversationB, "update", "card:run-1"));
        var sending = await ClaimAsync(lease: TimeSpan.FromMinutes(10));

        var recovered = await Store.Outbox.RecoverAsync(Now, all: true, None);

        Assert.Equal(2, recovered);
        Assert.Equal("ambiguous", await StatusAsync(sending.Single(i => i.Message.Kind == OutboundKind.Post).Id));
        Assert.Equal("pending", await StatusAsync(sending.Single(i => i.Message.Kind == OutboundKind.Update).Id));
    }
}
