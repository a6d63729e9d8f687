using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Tests.Durability;

/// <summary>What the outbox remembers about delivered messages lives in the store, so a restart forgets none of it.</summary>
public sealed class OutboxRestartTests
{
    [Fact]
    public async Task A_card_update_identical_to_the_one_delivered_before_a_restart_is_not_sent_again()
    {
        await using var s = await ProcessScenario.StartAsync();
        var bot = await s.StartBotAsync();
        var card = await s.PostGoalAsync(bot, BotScenario.Alice, $"check {s.Target.Url("/never")}");

        // A click on a card showing another plan version refreshes the card: an update that changes nothing people see.
        var stale = card.ButtonData("approve").DeepClone().AsObject();
        stale["planHash"] = "0000000000000000";
        await s.PostAsync(bot, s.Activities.Submit(BotScenario.Bob, stale, card.ActivityId));
        await StaleNoticesAsync(s, card, 1);
        Assert.Single(s.Channel.Calls, c => c.IsUpdate && c.ActivityId == card.ActivityId);

        await bot.StopAsync();
        bot = await s.StartBotAsync();
        await s.PostAsync(bot, s.Activities.Submit(BotScenario.Bob, stale, card.ActivityId));
        // The notice follows the card update in the conversation's order: once it is here, the update has been dealt with.
        await StaleNoticesAsync(s, card, 2);

        Assert.Single(s.Channel.Calls, c => c.IsUpdate && c.ActivityId == card.ActivityId);
        await using var db = new SqliteConnection($"Data Source={s.DatabasePath};Mode=ReadOnly;Pooling=False");
        Assert.Equal(["sent", "sent"], await db.QueryAsync<string>("SELECT status FROM outbox WHERE kind = 'update' ORDER BY id"));
    }

    private static Task<IReadOnlyList<ConnectorCall>> StaleNoticesAsync(ProcessScenario s, PlanCard card, int count) =>
        s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == card.GoalId && c.CardText.Contains("older version of the plan", StringComparison.Ordinal),
            count, what: $"{count} stale-click notices");
}
