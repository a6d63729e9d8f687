using BotAgent.Testing;

namespace BotAgent.Tests.EndToEnd;

/// <summary>Outbox pacing: one conversation's messages are spaced out, and the others are not held up by them.</summary>
public sealed class OutboxPacingTests
{
    [Fact]
    public async Task A_conversation_waiting_out_its_pacing_does_not_hold_up_another_conversation()
    {
        // One send at a time, and a second between two sends to one conversation.
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Outbox:MinIntervalPerConversation"] = "00:00:01",
            ["Outbox:Concurrency"] = "1",
        });
        var elsewhere = new Activities(s.Channel.ServiceUrl, "emulator", "conv-2");

        for (var i = 0; i < 3; i++)
            await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "help"));
        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ConversationId == "conv-1", what: "the first answer in conv-1");
        await s.Bot.PostActivityAsync(elsewhere.Message(BotScenario.Bob, "help"));

        var answers = await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded, count: 4, timeout: TimeSpan.FromSeconds(30), what: "all four answers");
        // conv-2's answer goes while conv-1's second waits out its second: it does not queue behind it.
        Assert.Equal(["conv-1", "conv-2", "conv-1", "conv-1"], answers.OrderBy(c => c.Sequence).Select(c => c.ConversationId));
    }
}
