using BotAgent.Testing;

namespace BotAgent.Tests.DirectLine;

/// <summary>The conversation log is the store's: a killed and restarted bot serves the same history to the same tokens.</summary>
public sealed class DirectLineRestartTests
{
    [Fact]
    public async Task After_a_kill_and_a_restart_the_history_and_the_token_still_work_and_the_conversation_goes_on()
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["DirectLine:Secret"] = DirectLineConversationTests.Secret,
            ["ConnectionStrings:BotAgent"] = $"Data Source={Path.Combine(folder.Path, "botagent.db")}",
        };
        DirectLineStart start;
        List<string> before;
        await using (var bot = await BotProcess.StartAsync(settings))
        {
            using var client = new DirectLineClient(bot.BaseUri);
            start = await client.StartAsync(DirectLineConversationTests.Secret, "alice", "Alice");
            var helpId = await client.PostMessageAsync(start.ConversationId, start.Token, null, "help");
            await client.WaitForAsync(start.ConversationId, start.Token, a => a["replyToId"]?.GetValue<string>() == helpId, "the answer to help");
            before = [.. (await client.GetAsync(start.ConversationId, start.Token, null)).Activities.Select(a => a!.ToJsonString())];
            await bot.KillAsync();
        }

        await using var again = await BotProcess.StartAsync(settings);
        using var after = new DirectLineClient(again.BaseUri);
        var (history, watermark) = await after.GetAsync(start.ConversationId, start.Token, null);
        Assert.Equal(before, history.Select(a => a!.ToJsonString()));
        var statusId = await after.PostMessageAsync(start.ConversationId, start.Token, null, "status");
        var answer = await after.WaitForAsync(start.ConversationId, start.Token, a => a["replyToId"]?.GetValue<string>() == statusId, "the answer to status");
        Assert.True(answer["channelData"]!["webchat:sequence-id"]!.GetValue<long>() > long.Parse(watermark));
    }
}
