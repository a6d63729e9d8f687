using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Storage.Tests.Stores;

/// <summary>What the transcript export reads back: a run's inbound payloads and its delivered posts with their last update.</summary>
public sealed class ConversationRecordStoreTests : StoreTest
{
    private const string RunId = "0195f0c2a1b27c3d8e9f0a1b2c3d4e5f";
    private static readonly ConversationKey Here = Samples.Conversation("19:here@thread.tacv2;messageid=1");
    private static readonly ConversationKey Elsewhere = Samples.Conversation("19:elsewhere@thread.tacv2;messageid=2");

    private Task AcceptAsync(string key, ConversationKey where, string payload) =>
        Store.Inbox.TryAcceptAsync("botframework", key, where.OrderingKey, payload, Now, processed: true, None);

    [Theory, OnSqlite, OnPostgres]
    public async Task Inbound_items_are_the_runs_source_and_those_naming_it_in_its_conversation_oldest_first(StoreProvider provider)
    {
        await UseAsync(provider);
        await AcceptAsync("goal", Here, """{"text":"check it"}""");
        await AcceptAsync("someone-else", Here, """{"text":"another goal"}""");
        await AcceptAsync("click", Here, $$$"""{"value":{"runId":"{{{RunId}}}"}}""");
        await AcceptAsync("click-elsewhere", Elsewhere, $$$"""{"value":{"runId":"{{{RunId}}}"}}""");
        // A LIKE wildcard in the id asked for matches nothing more.
        await AcceptAsync("wildcard", Here, """{"value":{"runId":"other"}}""");

        var items = await Store.ConversationRecord.InboundForRunAsync(Here.OrderingKey, RunId, "goal", None);
        var none = await Store.ConversationRecord.InboundForRunAsync(Here.OrderingKey, "%", null, None);

        Assert.Equal(["goal", "click"], items.Select(i => i.DedupeKey));
        Assert.Empty(none);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Outbound_messages_are_the_runs_delivered_posts_here_each_with_its_last_delivered_update(StoreProvider provider)
    {
        await UseAsync(provider);
        await Store.Outbox.EnqueueAsync(Samples.Post(Here, "first", "decision:1", RunId), Now, None);
        await SendAllAsync("activity-1");
        await Store.Outbox.EnqueueAsync(new OutboundMessage(RunId, Here, OutboundKind.Update, "decision:1", new NoticeView("updated", [], NoticeTone.Info)), Now, None);
        await SendAllAsync(null);
        await Store.Outbox.EnqueueAsync(new OutboundMessage(RunId, Here, OutboundKind.Update, "decision:1", new NoticeView("never sent", [], NoticeTone.Info)), Now, None);
        await Store.Outbox.EnqueueAsync(Samples.Post(Elsewhere, "a copy elsewhere", "copy", RunId), Now, None);
        await Store.Outbox.EnqueueAsync(Samples.Post(Here, "another run", "other", "another-run"), Now, None);

        var messages = await Store.ConversationRecord.OutboundForRunAsync(Here.OrderingKey, RunId, None);

        var message = Assert.Single(messages);
        Assert.Equal("activity-1", message.MessageId);
        Assert.Equal("first", ((NoticeView)message.Post.View).Title);
        Assert.Equal("updated", Assert.IsType<NoticeView>(message.LastUpdate).Title);
        Assert.Equal(Now, message.SentAt);
    }

    private async Task SendAllAsync(string? activityId)
    {
        foreach (var item in await Store.Outbox.ClaimDueAsync("instance-a", 10, Now, Now.AddMinutes(1), None))
            await Store.Outbox.MarkSentAsync(item.Id, activityId, null, Now, None);
    }
}
