using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Storage.Tests.Stores;

/// <summary>What the outbox knows beyond each message's own delivery, kept in the store so every instance, and a restarted one, sees the same.</summary>
public sealed class OutboxSharedStateTests : StoreTest
{
    private static readonly ConversationKey ConversationA = Samples.Conversation("19:a@thread.tacv2;messageid=1");
    private static readonly ConversationKey ConversationB = Samples.Conversation("19:b@thread.tacv2;messageid=2");

    private Task EnqueueAsync(OutboundMessage message) => Store.Outbox.EnqueueAsync(message, Now, None);

    private static Task<IReadOnlyList<OutboxItem>> ClaimAsync(IOutbox outbox, DateTimeOffset now) =>
        outbox.ClaimDueAsync("instance-a", 10, now, now.AddMinutes(1), None);

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_of_an_update_carries_the_fingerprint_of_the_last_update_of_its_message_that_was_sent(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Post(ConversationA, "card v1", "card:run-1"));
        var post = Assert.Single(await ClaimAsync(Store.Outbox, Now));
        Assert.Null(post.LastSentFingerprint);
        await Store.Outbox.MarkSentAsync(post.Id, "act-1", null, Now, None);

        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        var first = Assert.Single(await ClaimAsync(Store.Outbox, Now));
        Assert.Null(first.LastSentFingerprint);
        await Store.Outbox.MarkSentAsync(first.Id, null, "fp-2", Now, None);

        await EnqueueAsync(Samples.Update(ConversationA, "card v3", "card:run-1"));
        var second = Assert.Single(await ClaimAsync(Store.Outbox, Now));
        Assert.Equal("fp-2", second.LastSentFingerprint);
        await Store.Outbox.MarkSentAsync(second.Id, null, "fp-3", Now, None);

        // One that was tried and not confirmed (failed, timed out, ambiguous) may be what people see: the next update is
        // compared with nothing, so it is sent even if it equals the last confirmed one.
        await EnqueueAsync(Samples.Update(ConversationA, "card v4", "card:run-1"));
        var failed = Assert.Single(await ClaimAsync(Store.Outbox, Now));
        await Store.Outbox.MarkFailedAsync(failed.Id, "timed out five times", Now, None);

        await EnqueueAsync(Samples.Update(ConversationA, "card v5", "card:run-1"));
        await EnqueueAsync(Samples.Update(ConversationB, "other card v2", "card:run-2"));
        var claimed = await ClaimAsync(Store.Outbox, Now);
        Assert.Null(claimed.Single(i => i.Message.MessageKey == "card:run-1").LastSentFingerprint);
        Assert.Null(claimed.Single(i => i.Message.MessageKey == "card:run-2").LastSentFingerprint);
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite, "ambiguous")]
    [InlineData(StoreProvider.Sqlite, "retrying")]
    [InlineData(StoreProvider.Sqlite, "failed")]
    public async Task An_update_that_may_have_been_shown_is_not_skipped_when_the_card_goes_back(StoreProvider provider, string how)
    {
        // A sent, B perhaps shown (the channel timed out or answered 5xx), then A again: A must be sent, or the card
        // could stay on B.
        await UseAsync(provider);
        await EnqueueAsync(Samples.Update(ConversationA, "A", "card:run-1"));
        await Store.Outbox.MarkSentAsync(Assert.Single(await ClaimAsync(Store.Outbox, Now)).Id, null, "fp-A", Now, None);
        await EnqueueAsync(Samples.Update(ConversationA, "B", "card:run-1"));
        var b = Assert.Single(await ClaimAsync(Store.Outbox, Now));
        if (how == "ambiguous")
            await Store.Outbox.MarkAmbiguousAsync(b.Id, "timed out", Now, None);
        else if (how == "failed")
            await Store.Outbox.MarkFailedAsync(b.Id, "timed out five times", Now, None);
        else
            await Store.Outbox.RetryLaterAsync(b.Id, Now.AddMinutes(1), "timed out", None);

        await EnqueueAsync(Samples.Update(ConversationA, "A again", "card:run-1"));
        var again = Assert.Single(await ClaimAsync(Store.Outbox, Now.AddMinutes(2)));

        Assert.Null(again.LastSentFingerprint);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Another_instance_or_a_restarted_one_compares_with_the_same_fingerprint(StoreProvider provider)
    {
        await UseAsync(provider);
        await EnqueueAsync(Samples.Update(ConversationA, "card v2", "card:run-1"));
        var sent = Assert.Single(await ClaimAsync(Store.Outbox, Now));
        await Store.Outbox.MarkSentAsync(sent.Id, null, "fp-2", Now, None);

        var other = Store.AnotherInstance().GetRequiredService<IOutbox>();
        await other.EnqueueAsync(Samples.Update(ConversationA, "card v2 again", "card:run-1"), Now, None);

        Assert.Equal("fp-2", Assert.Single(await ClaimAsync(other, Now)).LastSentFingerprint);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Backlog_counts_messages_waiting_or_being_sent_and_is_the_same_on_every_instance(StoreProvider provider)
    {
        await UseAsync(provider);
        var conversationC = Samples.Conversation("19:c@thread.tacv2");
        await EnqueueAsync(Samples.Post(ConversationA, "a1"));
        await EnqueueAsync(Samples.Post(ConversationA, "a2"));
        await EnqueueAsync(Samples.Post(ConversationB, "b1"));
        await EnqueueAsync(Samples.Update(conversationC, "card v2", "card:run-3"));
        await EnqueueAsync(Samples.Update(conversationC, "card v3", "card:run-3")); // supersedes v2
        await EnqueueAsync(Samples.Post(ConversationB, "keyed", "step:run-2:s1"));
        await EnqueueAsync(Samples.Post(ConversationB, "keyed again", "step:run-2:s1")); // stored once
        var claimed = await ClaimAsync(Store.Outbox, Now); // a1, b1 and card v3 are being sent
        await Store.Outbox.MarkSentAsync(claimed.Single(i => i.Message.Conversation == ConversationB).Id, "act-1", null, Now, None);
        await Store.Outbox.MarkFailedAsync(claimed.Single(i => i.Message.Conversation == conversationC).Id, "403", Now, None);
        await Store.Outbox.DeferAsync(claimed.Single(i => i.Message.Conversation == ConversationA).Id, Now.AddMinutes(5), None);

        // a1 (waiting again, not yet due), a2 and the keyed post: sent, failed and superseded messages are not the backlog.
        Assert.Equal(3, await Store.Outbox.CountBacklogAsync(None));
        Assert.Equal(3, await Store.AnotherInstance().GetRequiredService<IOutbox>().CountBacklogAsync(None));

        await ClaimAsync(Store.Outbox, Now.AddMinutes(5));
        Assert.Equal(3, await Store.Outbox.CountBacklogAsync(None));
    }
}
