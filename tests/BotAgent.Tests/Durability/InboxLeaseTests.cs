using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using BotAgent.Tests.Planning;
using Dapper;

namespace BotAgent.Tests.Durability;

/// <summary>
/// Leases on inbound items between two bot processes on PostgreSQL, with the inbox's own lease (30 s, renewed while
/// held): planning through a slow model keeps its goal on its instance, and a dead instance's goal, with the rest
/// of its conversation queued behind it, goes to the other instance within a lease rather than minutes later.
/// </summary>
public sealed class InboxLeaseTests
{
    // Longer than the inbox lease (30 s) plus a claim poll, shorter than the model call's timeout (60 s).
    private static readonly TimeSpan LongerThanALease = TimeSpan.FromSeconds(40);

    [PostgresFact]
    public async Task A_goal_held_by_a_killed_instance_and_the_next_goal_of_its_conversation_are_answered_by_the_other()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var model = await TestModelServer.StartAsync();
        await using var s = await ProcessScenario.StartAsync(Settings(database, model));
        var plan = ModelPlans.Plan("Read the status page", "It answers 2xx.", ModelPlans.Get("s1", "Fetch the status page", s.Target.Url("/status")));
        var plans = 0;
        // The first planning never ends on its own (the instance doing it is killed); any later one is answered at once.
        model.Responder = r => r.Purpose != ModelPurpose.Plan ? null
            : Interlocked.Increment(ref plans) == 1 ? ModelReply.Slow(TimeSpan.FromMinutes(10), plan) : ModelReply.Completion(plan);
        var bots = await StartTwoAsync(s);

        var first = s.Activities.Message(BotScenario.Alice, "Is the status page up?");
        await s.PostAsync(bots["one"], first);
        await model.WaitForAsync(r => r.Purpose == ModelPurpose.Plan, what: "the first goal's planning");
        await using var db = database.Open();
        var owner = (await db.QuerySingleAsync<string>("SELECT lease_owner FROM inbox WHERE status = 'processing'")).Split(':')[0]; // "one:<suffix>"
        var survivor = bots.Keys.Single(k => k != owner);
        // Queued behind the first goal: its conversation is held until the first goal is done or its lease runs out.
        var second = s.Activities.Message(BotScenario.Alice, "And is it up now?");
        await s.PostAsync(bots[survivor], second);
        await bots[owner].KillAsync();

        // Within a lease (30 s) and a claim poll; the old 5-minute lease kept both goals waiting far longer than this.
        var timeout = TimeSpan.FromSeconds(60);
        await s.WaitForPlanCardAsync(Id(first), timeout);
        await s.WaitForPlanCardAsync(Id(second), timeout);
        await Eventually.TrueAsync(async () => await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE status = 'done'") == 2,
            "both goals to be processed");
        Assert.Single(s.PlanCards(Id(first)));
        Assert.Single(s.PlanCards(Id(second)));
        Assert.Equal(2, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Equal(3, model.Requests.Count(r => r.Purpose == ModelPurpose.Plan));
    }

    [PostgresFact]
    public async Task Planning_longer_than_a_lease_on_a_live_instance_is_not_taken_over()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var model = await TestModelServer.StartAsync();
        await using var s = await ProcessScenario.StartAsync(Settings(database, model));
        var plan = ModelPlans.Plan("Read the status page", "It answers 2xx.", ModelPlans.Get("s1", "Fetch the status page", s.Target.Url("/status")));
        model.Responder = r => r.Purpose == ModelPurpose.Plan ? ModelReply.Slow(LongerThanALease, plan) : null;
        var bots = await StartTwoAsync(s);

        var goal = s.Activities.Message(BotScenario.Alice, "Is the status page up?");
        await s.PostAsync(bots["one"], goal);
        await s.WaitForPlanCardAsync(Id(goal), LongerThanALease + TimeSpan.FromSeconds(20));

        // Had the lease run out while the model was thinking, the other instance would have asked it too by now.
        Assert.Equal(1, model.Requests.Count(r => r.Purpose == ModelPurpose.Plan));
        await using var db = database.Open();
        await Eventually.TrueAsync(async () => await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE status = 'done'") == 1,
            "the goal to be processed");
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT attempts FROM inbox"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Single(s.PlanCards(Id(goal)));
    }

    private static Dictionary<string, string?> Settings(PostgresTestDatabase database, TestModelServer model) => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["ConnectionStrings:BotAgent"] = database.ConnectionString,
        ["Planner:Provider"] = "OpenAI",
        ["OpenAI:BaseUrl"] = model.OpenAIBaseUrl,
        ["OpenAI:Model"] = ModelScenario.OpenAIModel,
        ["OpenAI:ApiKey"] = ModelScenario.ApiKey,
    };

    private static async Task<Dictionary<string, BotProcess>> StartTwoAsync(ProcessScenario s)
    {
        // Launched together (migrations take a lock), so the test waits for one start rather than two.
        var bots = new Dictionary<string, BotProcess>
        {
            ["one"] = s.LaunchBot(new Dictionary<string, string?> { ["Execution:InstanceId"] = "one" }),
            ["two"] = s.LaunchBot(new Dictionary<string, string?> { ["Execution:InstanceId"] = "two" }),
        };
        await Task.WhenAll(bots.Values.Select(b => b.WaitUntilListeningAsync()));
        return bots;
    }

    private static string Id(System.Text.Json.Nodes.JsonObject activity) => activity["id"]!.GetValue<string>();
}
