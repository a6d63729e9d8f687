using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Tests.Durability;

/// <summary>
/// Trace events are not committed one by one on SQLite: each rides with the next write queued after it (README,
/// "When things go wrong"). What that must never lose, checked after a SIGKILL under load: any event recorded
/// before a state change that was committed.
/// </summary>
public sealed class TraceDurabilityTests
{
    // Recorded before the run leaves planning (the offer, a refusal or "could not plan" is that move).
    private static readonly string[] BeforeOffer = ["goal.received", "plan.proposed", "policy.verdict"];

    // Recorded while the run executes, before the move that ends it.
    private static readonly string[] BeforeSuccess = ["run.started", "step.started", "attempt.finished", "step.finished", "step.observed", "goal.judged"];

    [Fact]
    public async Task After_a_SIGKILL_under_load_no_event_recorded_before_a_committed_state_change_is_missing()
    {
        await using var s = await ProcessScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:GoalsPerPersonPerMinute"] = "0",
            ["Limits:AwaitingApprovalPerConversation"] = "0",
        });
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var bot = await s.StartBotAsync();

        // Eight threads, each posting goals and approving every plan without waiting for its run.
        using var stop = new CancellationTokenSource();
        var posters = Enumerable.Range(0, 8).Select(k => Task.Run(async () =>
        {
            var activities = new Activities(s.Channel.ServiceUrl, conversationId: $"conv-{k}");
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var goal = activities.Message(BotScenario.Alice, $"check {s.Target.Url("/health")}?g={k}-{i}");
                await s.PostAsync(bot, goal);
                var card = await s.WaitForPlanCardAsync(goal["id"]!.GetValue<string>());
                await s.PostAsync(bot, activities.Submit(BotScenario.Alice, card.ButtonData("approve"), card.ActivityId));
            }
        })).ToList();

        // Killed in the middle of the traffic: some runs finished, some executing, some being planned.
        await Eventually.TrueAsync(() => s.Channel.Calls.Count(c => c.IsPost && c.CardText.Contains("Run succeeded", StringComparison.Ordinal)) >= 8,
            "eight runs to have finished", TimeSpan.FromSeconds(120));
        await bot.KillAsync();
        await stop.CancelAsync();
        foreach (var poster in posters)
        {
            try
            {
                await poster;
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Xunit.Sdk.XunitException)
            {
                // The bot died under it.
            }
        }

        await using var db = new SqliteConnection($"Data Source={s.DatabasePath};Mode=ReadOnly;Pooling=False");
        var runs = (await db.QueryAsync<(string Id, string Status)>("SELECT id, status FROM runs")).ToList();
        var events = (await db.QueryAsync<(string RunId, string Type)>(
                "SELECT run_id, type FROM planning_events UNION ALL SELECT run_id, type FROM execution_events"))
            .ToLookup(e => e.RunId, e => e.Type);

        var offered = runs.Where(r => r.Status != "planning").ToList();
        var succeeded = runs.Where(r => r.Status == "succeeded").ToList();
        Assert.True(succeeded.Count >= 8, $"{succeeded.Count} runs succeeded");
        Assert.All(offered, run => Assert.All(BeforeOffer, type => Assert.True(events[run.Id].Contains(type), $"{run.Id} ({run.Status}) lacks {type}")));
        Assert.All(succeeded, run => Assert.All(BeforeSuccess, type => Assert.True(events[run.Id].Contains(type), $"{run.Id} (succeeded) lacks {type}")));
    }
}
