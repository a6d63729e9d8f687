using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Storage.Tests.Sqlite;

public sealed class SqliteOutboxTests : StoreTest
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ConversationReference ConversationA = Samples.Conversation("19:a@thread.tacv2;messageid=1");
    private static readonly ConversationReference ConversationB = Samples.Conversation("19:b@thread.tacv2;messageid=2");
    private readonly DateTimeOffset _now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private Task EnqueueAsync(OutboundMessage message) => Store.Outbox.EnqueueAsync(message, _now, None);

    private Task<IReadOnlyList<OutboxItem>> ClaimAsync(DateTimeOffset? at = null) => Store.Outbox.ClaimDueAsync(10, at ?? _now, None);

    private static string Title(OutboxItem item) => ((NoticeView)item.Message.View).Title;

    [Fact]
    public async Task Claimed_message_reads_back_as_enqueued()
    {
        var message = Samples.Post(ConversationA, "Plan awaiting approval", "card:run-1", "run-1");
        await EnqueueAsync(message);

        var item = Assert.Single(await ClaimAsync());

        Assert.Equal(0, item.Attempts);
        Assert.Null(item.TargetActivityId);
        Assert.Equal("run-1", item.Message.RunId);
        Assert.Equal(OutboundKind.Post, item.Message.Kind);
        Assert.Equal("card:run-1", item.Message.MessageKey);
        Assert.Equal(ConversationA, item.Message.Conversation);
        var view = Assert.IsType<NoticeView>(item.Message.View);
        Assert.Equal("Plan awaiting approval", view.Title);
        Assert.Equal(["line"], view.Lines);
    }

    [Fact]
    public async Task Messages_to_one_conversation_are_claimed_one_at_a_time_in_order()
    {
        await EnqueueAsync(Samples.Post(ConversationA, "first"));
        await EnqueueAsync(Samples.Post(ConversationA, "second"));
        await EnqueueAsync(Samples.Post(ConversationA, "third"));

        var head = Assert.Single(await ClaimAsync());
        Assert.Equal("first", Title(head));
        Assert.Empty(await ClaimAsync());

        await Store.Outbox.MarkSentAsync(head.Id, "act-1", _now, None);
        var next = Assert.Single(await ClaimAsync());
        Assert.Equal("second", Title(next));
        Assert.Empty(await ClaimAsync());

        await Store.Outbox.MarkSentAsync(next.Id, "act-2", _now, None);
        Assert.Equal("third", Title(Assert.Single(await ClaimAsync())));
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("ambiguous")]
    public async Task Message_that_ended_without_delivery_releases_the_next_one(string end)
    {
        await EnqueueAsync(Samples.Post(ConversationA, "first"));
        await EnqueueAsync(Samples.Post(ConversationA, "second"));
        var head = Assert.Single(await ClaimAsync());

        if (end == "failed")
            await Store.Outbox.MarkFailedAsync(head.Id, "403 Forbidden", _now, None);
        else
            await Store.Outbox.MarkAmbiguousAsync(head.Id, "connection reset after send", _now, None);

        Assert.Equal("second", Title(Assert.Single(await ClaimAsync())));
        Assert.Equal(end, await Store.ScalarAsync<string>("SELECT status FROM outbox WHERE id = $id;", ("$id", head.Id)));
    }

    [Fact]
    public async Task Messages_to_different_conversations_are_claimed_together()
    {
        await EnqueueAsync(Samples.Post(ConversationA, "a1"));
        await EnqueueAsync(Samples.Post(ConversationA, "a2"));
        await EnqueueAsync(Samples.Post(ConversationB, "b1"));
        await EnqueueAsync(Samples.Post(ConversationB, "b2"));

        var claimed = await ClaimAsync();

        Assert.Equal(["a1", "b1"], claimed.Select(Title));
    }

    [Fact]
    public async Task Claim_respects_the_maximum()
    {
        await EnqueueAsync(Samples.Post(ConversationA, "a1"));
        await EnqueueAsync(Samples.Post(ConversationB, "b1"));

        var claimed = await Store.Outbox.ClaimDueAsync(1, _now, None);

        Assert.Equal(["a1"], claimed.Select(Title));
        Assert.Equal(["b1"], (await ClaimAsync()).Select(Title));
    }

    [Fact]
    public async Task Concurrent_claims_hand_out_each_conversation_head_once()
    {
        var conversations = Enumerable.Range(0, 10).Select(i => Samples.Conversation($"19:c{i}@thread.tacv2")).ToList();
        foreach (var conversation in conversations)
        {
            await EnqueueAsync(Samples.Post(conversation, "first"));
            await EnqueueAsync(Samples.Post(conversation, "second"));
        }

        var batches = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Store.Outbox.ClaimDueAsync(3, _now, None))));

        var claimed = batches.SelectMany(b => b).ToList();
        Assert.Equal(10, claimed.Count);
        Assert.All(claimed, i => Assert.Equal("first", Title(i)));
        Assert.Equal(10, claimed.Select(i => i.Message.Conversation.OrderingKey).Distinct().Count());
    }

    [Fact]
    public async Task Newer_update_supersedes_a_pending_update_of_the_same_message()
    {
        await EnqueueAsync(Samples.Post(ConversationA, "card v1", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationA, "card v3", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationA, "other card v2", "card:run-2"));

        var post = Assert.Single(await ClaimAsync());
        Assert.Equal("card v1", Title(post));
        await Store.Outbox.MarkSentAsync(post.Id, "act-9", _now, None);

        var update = Assert.Single(await ClaimAsync());
        Assert.Equal("card v3", Title(update));
        Assert.Equal(OutboundKind.Update, update.Message.Kind);
        await Store.Outbox.MarkSentAsync(update.Id, null, _now, None);

        Assert.Equal("other card v2", Title(Assert.Single(await ClaimAsync())));
        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE status = 'superseded';"));
    }

    [Fact]
    public async Task Update_being_sent_is_not_superseded_and_the_newer_update_follows_it()
    {
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        var sending = Assert.Single(await ClaimAsync());

        await EnqueueAsync(Samples.Update(ConversationA, "card v3", "card:run-1"));

        Assert.Empty(await ClaimAsync());
        await Store.Outbox.MarkSentAsync(sending.Id, null, _now, None);
        Assert.Equal("card v3", Title(Assert.Single(await ClaimAsync())));
    }

    [Fact]
    public async Task Post_does_not_supersede_pending_updates()
    {
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        await EnqueueAsync(Samples.Post(ConversationA, "step result", "card:run-1"));

        Assert.Equal("card v2", Title(Assert.Single(await ClaimAsync())));
    }

    [Fact]
    public async Task Update_carries_the_activity_id_of_the_sent_post_with_the_same_message_key()
    {
        await EnqueueAsync(Samples.Post(ConversationA, "card v1", "card:run-1"));
        await EnqueueAsync(Samples.Post(ConversationB, "other card v1", "card:run-2"));
        var posts = await ClaimAsync();
        await Store.Outbox.MarkSentAsync(posts.Single(p => Title(p) == "card v1").Id, "act-111", _now, None);
        await Store.Outbox.MarkSentAsync(posts.Single(p => Title(p) == "other card v1").Id, "act-222", _now, None);

        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationB, "other card v2", "card:run-2"));
        var updates = await ClaimAsync();

        Assert.Equal("act-111", updates.Single(u => Title(u) == "card v2").TargetActivityId);
        Assert.Equal("act-222", updates.Single(u => Title(u) == "other card v2").TargetActivityId);
    }

    [Fact]
    public async Task Update_of_a_post_that_was_never_sent_has_no_target()
    {
        await EnqueueAsync(Samples.Post(ConversationA, "card v1", "card:run-1"));
        var post = Assert.Single(await ClaimAsync());
        await Store.Outbox.MarkFailedAsync(post.Id, "403", _now, None);
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));

        var update = Assert.Single(await ClaimAsync());

        Assert.Null(update.TargetActivityId);
    }

    [Fact]
    public async Task Retry_later_keeps_the_message_back_until_it_is_due_and_blocks_its_conversation()
    {
        await EnqueueAsync(Samples.Post(ConversationA, "first"));
        await EnqueueAsync(Samples.Post(ConversationA, "second"));
        await EnqueueAsync(Samples.Post(ConversationB, "other"));
        var claimed = await ClaimAsync();
        var first = claimed.Single(i => Title(i) == "first");
        await Store.Outbox.MarkSentAsync(claimed.Single(i => Title(i) == "other").Id, "act-1", _now, None);

        await Store.Outbox.RetryLaterAsync(first.Id, _now.AddMinutes(1), "429 Too Many Requests", None);

        Assert.Empty(await ClaimAsync(_now));
        Assert.Empty(await ClaimAsync(_now.AddSeconds(59)));
        var retried = Assert.Single(await ClaimAsync(_now.AddMinutes(1)));
        Assert.Equal("first", Title(retried));
        Assert.Equal(1, retried.Attempts);
        Assert.Equal("429 Too Many Requests", await Store.ScalarAsync<string>("SELECT error FROM outbox WHERE id = $id;", ("$id", first.Id)));
    }

    [Fact]
    public async Task Message_enqueued_in_the_future_is_not_claimed_before_its_time()
    {
        await Store.Outbox.EnqueueAsync(Samples.Post(ConversationA, "later"), _now.AddMinutes(5), None);

        Assert.Empty(await ClaimAsync(_now));
        Assert.Equal("later", Title(Assert.Single(await ClaimAsync(_now.AddMinutes(5)))));
    }
}
