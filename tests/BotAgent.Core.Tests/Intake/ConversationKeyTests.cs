using System.Text.Json;
using BotAgent.Core.Intake;
using BotAgent.Core.Serialization;

namespace BotAgent.Core.Tests.Intake;

public sealed class ConversationKeyTests
{
    private static readonly ConversationKey Thread = new("botframework", "msteams", "19:room;messageid=1", "goal-1", new Member("bot", "BotAgent"), Space: "19:room");

    [Fact]
    public void A_row_written_when_the_key_held_wire_fields_reads_them_into_the_address_and_writes_them_back_unchanged()
    {
        const string stored = """{"adapter":"botframework","channelId":"msteams","conversationId":"19:room","threadId":"t","serviceUrl":"https://smba.example/","bot":{"id":"b","name":"Bot"},"tenantId":"tenant-1","conversationType":"channel"}""";

        var key = JsonSerializer.Deserialize(stored, CoreJsonContext.Default.ConversationKey)!;

        Assert.Equal(("https://smba.example/", "tenant-1", "channel"), (key.AddressPart("serviceUrl"), key.AddressPart("tenantId"), key.AddressPart("conversationType")));
        Assert.False(key.IsDirect);
        var again = JsonSerializer.Deserialize(JsonSerializer.Serialize(key, CoreJsonContext.Default.ConversationKey), CoreJsonContext.Default.ConversationKey)!;
        Assert.Equal(key, again);
        Assert.NotEqual(key, again.WithAddress(("tenantId", "tenant-2")));
    }

    [Fact]
    public void Threads_of_one_space_are_one_conversation_and_other_spaces_are_not()
    {
        var otherThread = Thread with { ConversationId = "19:room;messageid=2" };
        var otherRoom = Thread with { ConversationId = "19:other;messageid=1", Space = "19:other" };

        Assert.True(Thread.IsSameConversationAs(otherThread));
        Assert.False(Thread.IsSameConversationAs(otherRoom));
        Assert.False(Thread.IsSameConversationAs(Thread with { Adapter = "slack" }));
        Assert.False(Thread.IsSameConversationAs(Thread with { ChannelId = "emulator" }));
    }

    [Fact]
    public void A_key_stored_without_a_space_is_the_same_conversation_only_by_its_id()
    {
        var stored = Thread with { Space = null };

        Assert.True(stored.IsSameConversationAs(Thread));
        Assert.False(stored.IsSameConversationAs(Thread with { ConversationId = "19:room;messageid=2" }));
    }

    [Fact]
    public void Setting_an_address_part_leaves_the_original_untouched_and_null_removes_it()
    {
        var first = Thread.WithAddress(("serviceUrl", "https://a.example/"));
        var second = first.WithAddress(("serviceUrl", null), ("tenantId", "t"));

        Assert.Equal("https://a.example/", first.AddressPart("serviceUrl"));
        Assert.Null(second.AddressPart("serviceUrl"));
        Assert.Equal("t", second.AddressPart("tenantId"));
    }

    [Fact]
    public void The_direct_conversation_beside_a_thread_keeps_the_address_and_names_the_member()
    {
        var direct = Thread.WithAddress(("serviceUrl", "https://a.example/")).DirectWith("29:ann");

        Assert.True(direct.IsDirect);
        Assert.Equal(("29:ann", null, null), (direct.DirectTo, direct.ThreadId, direct.Space));
        Assert.Equal("https://a.example/", direct.AddressPart("serviceUrl"));
        Assert.NotEqual(Thread.OrderingKey, direct.OrderingKey);
    }

    [Theory]
    [InlineData("conversationId")]
    [InlineData("ConversationId")]
    [InlineData("adapter")]
    [InlineData("isDirect")]
    public void An_address_part_cannot_take_the_name_of_one_of_the_keys_own_fields(string name)
    {
        // Read back, the stored part would overwrite the field: an adapter mistake (or a wire value used as a name)
        // must not move a run to another conversation.
        Assert.Throws<ArgumentException>(() => Thread.WithAddress((name, "C-OTHER")));
    }

    [Fact]
    public void The_ordering_key_is_built_and_read_in_one_place()
    {
        Assert.Equal("botframework:msteams:19:room;messageid=1", Thread.OrderingKey);
        Assert.Equal("19:room;messageid=1", ConversationKey.ConversationIdOf(Thread.OrderingKey));
    }
}
