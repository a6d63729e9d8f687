using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Tests.BuiltInTools;

/// <summary>What the built-in tools refuse, as people see it in the thread, and what the store keeps of it.</summary>
public sealed class ToolRefusalTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "botagent-tool-refusals", Guid.NewGuid().ToString("N"));

    public ToolRefusalTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "logs"));
        File.WriteAllText(Path.Combine(_folder, "logs", "app.log"), "2026-11-25 ok\n2026-11-25 timeout talking to payments\n");
        File.WriteAllText(Path.Combine(_folder, "secret.txt"), "not for the bot\n");
        using var db = new SqliteConnection($"Data Source={Path.Combine(_folder, "shop.db")};Pooling=False");
        db.Open();
        db.Execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders (total) VALUES (9.5), (12);");
    }

    private Dictionary<string, string?> Tools() => new()
    {
        ["Tools:Logs:Enabled"] = "true",
        ["Tools:Logs:Roots:0"] = Path.Combine(_folder, "logs", "*.log"),
        ["Tools:Sql:Enabled"] = "true",
        ["Tools:Sql:Connections:shop:Provider"] = "Sqlite",
        ["Tools:Sql:Connections:shop:ConnectionString"] = $"Data Source={Path.Combine(_folder, "shop.db")}",
        ["Tools:Shell:Enabled"] = "true",
        ["Tools:Shell:AllowedExecutables:0"] = "/bin/echo",
    };

    [Fact]
    public async Task Refusals_are_clear_in_the_thread_and_traced()
    {
        await using var s = await BotScenario.StartAsync(settings: Tools());

        var outside = await RefusedAsync(s, $"1. logs.search pattern=secret path={Path.Combine(_folder, "secret.txt")}");
        Assert.Contains("outside", outside, StringComparison.OrdinalIgnoreCase);
        var dotdot = await RefusedAsync(s, $"1. logs.search pattern=secret path={Path.Combine(_folder, "logs", "..", "secret.txt")}");
        Assert.Contains("..", dotdot);
        var shell = await RefusedAsync(s, "1. shell.run {\"executable\": \"/bin/sh\", \"args\": [\"-c\", \"id\"]}");
        Assert.Contains("/bin/sh", shell);

        using var db = s.Bot.OpenDatabase();
        Assert.Equal(3, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs WHERE status = 'policy_denied'"));
        Assert.Equal(3, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM planning_events WHERE type = 'policy.verdict' AND data_json LIKE '%\"allowed\":false%'"));
    }

    [Fact]
    public async Task A_write_statement_fails_the_step_with_a_clear_reason_and_changes_nothing()
    {
        await using var s = await BotScenario.StartAsync(settings: Tools());
        var card = await s.PostGoalAsync(BotScenario.Alice, "1. sql.query {\"connection\": \"shop\", \"sql\": \"DELETE FROM orders\"}");
        await s.SubmitAsync(BotScenario.Alice, card, "approve");

        var failed = (await s.WaitForReplyAsync(card, "Run failed")).Single();
        var step = (await s.WaitForReplyAsync(card, "Step 1")).Single();
        Assert.Contains("read", step.CardText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("s1", failed.CardText);
        using var shop = new SqliteConnection($"Data Source={Path.Combine(_folder, "shop.db")};Pooling=False");
        Assert.Equal(2, await shop.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM orders"));
    }

    [Fact]
    public async Task Logs_are_searched_and_the_matches_arrive_in_the_thread()
    {
        await using var s = await BotScenario.StartAsync(settings: Tools());
        var card = await s.PostGoalAsync(BotScenario.Alice, "search logs for timeout");
        await s.SubmitAsync(BotScenario.Alice, card, "approve");

        var step = (await s.WaitForReplyAsync(card, "Step 1")).Single();
        Assert.Contains("timeout talking to payments", step.CardText);
        await s.WaitForReplyAsync(card, "Run succeeded");
    }

    [Fact]
    public async Task A_retried_webhook_post_sends_the_same_idempotency_key()
    {
        await using var target = await TargetServer.StartAsync();
        target.Respond("/tickets", new TargetResponse(503, "busy"), new TargetResponse(201, "{\"id\":42}", "application/json"));
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tools:Webhook:Enabled"] = "true",
            ["Tools:Webhook:Targets:tickets:Url"] = target.Url("/tickets"),
        });
        var card = await s.PostGoalAsync(BotScenario.Alice, "1. webhook.post {\"target\": \"tickets\", \"payload\": {\"title\": \"disk full\"}}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve"); // a write: someone other than the requester

        await s.WaitForReplyAsync(card, "Run succeeded");
        var hits = target.Hits.Where(h => h.Path == "/tickets").ToList();
        Assert.Equal(2, hits.Count);
        Assert.False(string.IsNullOrEmpty(hits[0].Headers["Idempotency-Key"]));
        Assert.Equal(hits[0].Headers["Idempotency-Key"], hits[1].Headers["Idempotency-Key"]);
    }

    private static async Task<string> RefusedAsync(BotScenario s, string text)
    {
        var goal = s.Activities.Message(BotScenario.Alice, text);
        await s.Bot.PostActivityAsync(goal);
        var notice = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goal["id"]!.GetValue<string>(), what: "the refusal")).Single();
        Assert.Contains("policy refused it", notice.CardText);
        return notice.CardText;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
