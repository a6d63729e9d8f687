using System.Net;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;
using Npgsql;

namespace BotAgent.Tests.Durability;

/// <summary>
/// A bot process whose PostgreSQL server is unreachable for a while: a TCP gate between them refuses connections and
/// cuts the open ones, as a database restart does.
/// </summary>
public sealed class DatabaseOutageTests
{
    private const string UnavailableAtStart = "The store is not available yet";

    [PostgresFact]
    public async Task A_bot_started_while_the_database_is_unreachable_waits_for_it_and_then_answers()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var gate = StartGate(database);
        await using var s = await ProcessScenario.StartAsync(Settings(database, gate));
        gate.Close();

        var bot = s.LaunchBot();
        // Several refused tries, not one: the start keeps trying rather than giving up on the first refusal.
        await Eventually.TrueAsync(() => bot.HasExited || bot.Output.Contains(UnavailableAtStart + " (attempt 3)", StringComparison.Ordinal),
            "the bot to find its database unreachable");
        Assert.False(bot.HasExited, bot.Output);
        gate.Start();
        await bot.WaitUntilListeningAsync();

        await s.PostGoalAsync(bot, BotScenario.Alice, $"1. http.get {s.Target.Url("/status")}");
        Assert.DoesNotContain("unhandled exception", bot.Output, StringComparison.OrdinalIgnoreCase);
    }

    [PostgresFact]
    public async Task A_goal_posted_while_the_database_is_unreachable_is_answered_503_and_taken_once_when_posted_again()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var gate = StartGate(database);
        await using var s = await ProcessScenario.StartAsync(Settings(database, gate));
        var bot = await s.StartBotAsync();
        var goal = s.Activities.Message(BotScenario.Alice, $"1. http.get {s.Target.Url("/status")}");

        gate.Close();
        using (var refused = await s.SendAsync(bot, goal))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("database is not reachable", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("unhandled exception", bot.Output, StringComparison.OrdinalIgnoreCase);

        gate.Start();
        // The channel tries again, as Retry-After asks; a try may still meet a pooled connection the outage cut.
        using var accepted = await Eventually.GetAsync(async () =>
        {
            var response = await s.SendAsync(bot, goal);
            return response.StatusCode == HttpStatusCode.ServiceUnavailable ? null : response;
        }, "the goal to be accepted once the database is back");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        var card = await s.WaitForPlanCardAsync(goal["id"]!.GetValue<string>());
        await using var db = database.Open();
        await Eventually.TrueAsync(async () => await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE status = 'done'") == 1,
            "the goal to be processed");
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Single(s.PlanCards(card.GoalId));
        Assert.DoesNotContain("unhandled exception", bot.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static TcpGate StartGate(PostgresTestDatabase database)
    {
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var gate = new TcpGate(server.Host!, server.Port);
        gate.Start();
        return gate;
    }

    private static Dictionary<string, string?> Settings(PostgresTestDatabase database, TcpGate gate) => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["ConnectionStrings:BotAgent"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = gate.Port }.ConnectionString,
    };
}
