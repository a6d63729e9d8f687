using BotAgent.Core.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Storage.Tests.Stores;

public sealed class ConversationLogStoreTests : StoreTest
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Entries_are_numbered_per_conversation_from_one_and_read_after_a_watermark_in_order(StoreProvider provider)
    {
        await UseAsync(provider);
        Assert.True(await Store.ConversationLog.StartAsync("conv-a", Now, None));
        Assert.False(await Store.ConversationLog.StartAsync("conv-a", Now, None));
        Assert.False(await Store.ConversationLog.ExistsAsync("conv-b", None));

        var first = await Store.ConversationLog.AppendAsync("conv-a", null, seq => $"{{\"n\":{seq}}}", Now, None);
        var other = await Store.ConversationLog.AppendAsync("conv-b", "alice", seq => $"{{\"n\":{seq}}}", Now, None);
        var second = await Store.ConversationLog.AppendAsync("conv-a", "bob", seq => $"{{\"n\":{seq}}}", Now.AddSeconds(1), None);

        Assert.Equal((1L, 1L, 2L), (first.Sequence, other.Sequence, second.Sequence));
        Assert.True(await Store.ConversationLog.ExistsAsync("conv-b", None));
        var all = await Store.ConversationLog.ReadAsync("conv-a", 0, 10, None);
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], all.Select(e => e.Payload));
        Assert.Equal([null, "bob"], all.Select(e => e.RecipientId));
        Assert.Equal(Now.AddSeconds(1), all[1].At);
        Assert.Equal(["{\"n\":2}"], (await Store.ConversationLog.ReadAsync("conv-a", 1, 10, None)).Select(e => e.Payload));
        Assert.Empty(await Store.ConversationLog.ReadAsync("conv-a", 2, 10, None));
        Assert.Single(await Store.ConversationLog.ReadAsync("conv-a", 0, 1, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Concurrent_appends_from_two_instances_leave_no_gap_and_no_number_twice(StoreProvider provider)
    {
        await UseAsync(provider);
        var other = Store.AnotherInstance().GetRequiredService<IConversationLog>();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store.ConversationLog : other).AppendAsync("conv-a", null, seq => $"{{\"n\":{seq}}}", Now, None))));

        var entries = await Store.ConversationLog.ReadAsync("conv-a", 0, 100, None);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.All(entries, e => Assert.Equal($"{{\"n\":{e.Sequence}}}", e.Payload));
    }
}
