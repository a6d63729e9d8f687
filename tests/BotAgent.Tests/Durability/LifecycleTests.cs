using System.Diagnostics;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Tests.Durability;

/// <summary>Graceful shutdown, timers that survive restarts, and the backup command.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Graceful_shutdown_finishes_the_step_in_flight_and_a_restart_continues_with_the_next()
    {
        await using var s = await ProcessScenario.StartAsync();
        s.Target.Respond("/slow", new TargetResponse(200, "slow but done", Delay: TimeSpan.FromSeconds(2)));
        s.Target.Respond("/next", new TargetResponse(200, "next"));
        var bot = await s.StartBotAsync();
        var card = await s.PostGoalAsync(bot, BotScenario.Alice, $"1. http.get {s.Target.Url("/slow")}\n2. http.get {s.Target.Url("/next")}");
        await s.ClickAsync(bot, BotScenario.Alice, card, "approve");
        await Eventually.TrueAsync(() => s.Target.HitCount("/slow") == 1, "step 1 to be in flight");

        await bot.StopAsync();

        Assert.Equal(0, s.Target.HitCount("/next")); // no new step was started while stopping
        await using (var db = new SqliteConnection($"Data Source={s.DatabasePath};Mode=ReadOnly;Pooling=False"))
            Assert.Equal("succeeded", await db.QuerySingleAsync<string>("SELECT state FROM step_attempts WHERE step_id = 's1'"));

        await s.StartBotAsync();
        await s.WaitForReplyAsync(card, "Run succeeded");
        Assert.Equal(1, s.Target.HitCount("/slow"));
        Assert.Equal(1, s.Target.HitCount("/next"));
        Assert.Single(s.Replies(card, "Step 1 ·"));
    }

    [Fact]
    public async Task Approvers_are_reminded_before_expiry_and_the_card_says_when_it_expired_even_across_a_restart()
    {
        await using var s = await ProcessScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Approvals:Expiry"] = "00:00:08",
            ["Approvals:ReminderBefore"] = "00:00:06",
        });
        var bot = await s.StartBotAsync();
        var card = await s.PostGoalAsync(bot, BotScenario.Alice, $"check {s.Target.Url("/never")}");
        // Kill only once the bot knows the card arrived: a card whose delivery is unknown cannot be updated.
        await Eventually.TrueAsync(async () =>
        {
            await using var db = new SqliteConnection($"Data Source={s.DatabasePath};Mode=ReadOnly;Pooling=False");
            return await db.ExecuteScalarAsync<string>("SELECT status FROM outbox WHERE message_key LIKE 'card:%' AND kind = 'post'") == "sent";
        }, "the card's delivery to be recorded");
        await bot.KillAsync();

        await s.StartBotAsync();

        var reminder = (await s.WaitForReplyAsync(card, "Reminder")).Single();
        Assert.Contains("still waiting for approval", reminder.CardText);
        await Eventually.TrueAsync(() => CardTexts.Of(s.Channel.Activity(card.ActivityId)).Contains("Plan expired", StringComparison.Ordinal),
            "the card to say it expired", TimeSpan.FromSeconds(30));
        Assert.Empty(CardTexts.Actions(s.Channel.Activity(card.ActivityId)!["attachments"]![0]!["content"]!.AsObject()));
        Assert.Equal(0, s.Target.HitCount("/never"));
    }

    [Fact]
    public async Task Backup_writes_a_consistent_copy_while_the_bot_runs()
    {
        await using var s = await ProcessScenario.StartAsync();
        s.Target.Respond("/a", new TargetResponse(200, "a"));
        var bot = await s.StartBotAsync();
        var card = await s.PostGoalAsync(bot, BotScenario.Alice, $"check {s.Target.Url("/a")}");
        await s.ClickAsync(bot, BotScenario.Alice, card, "approve");
        await s.WaitForReplyAsync(card, "Run succeeded");
        var copy = Path.Combine(Path.GetDirectoryName(s.DatabasePath)!, "backup", "copy.db");

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { BotProcess.AssemblyPath(), "backup", copy, $"--ConnectionStrings:BotAgent=Data Source={s.DatabasePath}" })
            info.ArgumentList.Add(arg);
        using var backup = Process.Start(info)!;
        var output = await backup.StandardOutput.ReadToEndAsync();
        await backup.WaitForExitAsync();

        Assert.True(backup.ExitCode == 0, output + await backup.StandardError.ReadToEndAsync());
        Assert.Contains("consistent copy", output);
        await using var db = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
        Assert.Equal("succeeded", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM step_attempts"));
    }
}
