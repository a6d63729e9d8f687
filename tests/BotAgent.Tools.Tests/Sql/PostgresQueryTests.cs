using BotAgent.Core.Tools;
using BotAgent.Testing;
using BotAgent.Tools.Sql;
using Npgsql;

namespace BotAgent.Tools.Tests.Sql;

/// <summary>
/// <c>sql.query</c> on a real PostgreSQL database: one statement in a read-only transaction with a statement
/// timeout. Every way a statement might write, or end the transaction and write after it, is refused.
/// </summary>
public sealed class PostgresQueryTests
{
    private static async Task<PostgresTestDatabase> DatabaseAsync()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        await using var connection = database.Open();
        await using var command = new NpgsqlCommand("""
            CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric(10,2), placed timestamptz, tags text[]);
            INSERT INTO orders VALUES (1, 'alice', 12.50, '2024-05-01T10:00:00Z', '{a,b}'), (2, 'bob', 7, NULL, NULL);
            CREATE SEQUENCE order_numbers;
            CREATE PROCEDURE add_order() LANGUAGE sql AS $$ INSERT INTO orders VALUES (99, 'proc', 1, NULL, NULL) $$;
            CREATE TABLE customers (name text PRIMARY KEY, profile jsonb);
            INSERT INTO customers VALUES ('alice', '{"city": "Lyon", "tier": "gold", "tags": ["a", "b"]}'), ('bob', '{"city": "Oslo"}');
            CREATE SCHEMA reports;
            CREATE FUNCTION reports.order_total() RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT sum(total) FROM orders $$;
            """, connection);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    private static ToolHost Host(PostgresTestDatabase database, string timeout = "00:00:30", params string[] allowedFunctions)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tools:Http:Enabled"] = "false",
            ["Tools:Sql:Enabled"] = "true",
            ["Tools:Sql:Timeout"] = timeout,
            ["Tools:Sql:Connections:shop:Provider"] = "Postgres",
            ["Tools:Sql:Connections:shop:ConnectionString"] = database.ConnectionString,
        };
        for (var i = 0; i < allowedFunctions.Length; i++)
            settings[$"Tools:Sql:AllowedFunctions:{i}"] = allowedFunctions[i];
        return ToolHost.Create(settings);
    }

    private static Task<ToolOutcome> Run(ToolHost host, string sql) =>
        host.Tool("sql.query").InvokeAsync(ToolHost.Call(new { connection = "shop", sql }), default);

    private static async Task<long> CountOrdersAsync(PostgresTestDatabase database)
    {
        await using var connection = database.Open();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orders", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [PostgresFact]
    public async Task Select_returns_a_text_table()
    {
        await using var database = await DatabaseAsync();
        using var host = Host(database);

        var outcome = await Run(host, "SELECT id, customer, total, placed, tags FROM orders ORDER BY id");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("2 rows (id, customer, total, placed, tags)", outcome.Summary);
        Assert.Contains("1  | alice    | 12.50 | 2024-05-01T10:00:00.0000000Z | {a,b}", outcome.Output);
        Assert.Contains("2  | bob      | 7.00  | NULL", outcome.Output);
    }

    [PostgresFact]
    public async Task The_statement_runs_in_a_read_only_transaction()
    {
        await using var database = await DatabaseAsync();
        using var host = Host(database);

        var outcome = await Run(host, "SELECT current_setting('transaction_read_only') AS ro, current_setting('statement_timeout') AS timeout");

        Assert.Contains("on | 30s", outcome.Output);
    }

    [PostgresFact]
    public async Task Insert_is_refused_clearly_and_writes_nothing()
    {
        await using var database = await DatabaseAsync();
        using var host = Host(database);

        var outcome = await Run(host, "INSERT INTO orders VALUES (3, 'mallory', 1, NULL, NULL)");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.Equal("Refused: sql.query is read-only and the statement tried to write (cannot execute INSERT in a read-only transaction)", outcome.Summary);
        Assert.Equal(2, await CountOrdersAsync(database));
    }

    [PostgresTheory]
    [InlineData("DELETE FROM orders", "read-only")]
    [InlineData("UPDATE orders SET total = 0", "read-only")]
    [InlineData("CREATE TABLE stolen (x int)", "read-only")]
    [InlineData("SELECT nextval('order_numbers')", "function nextval() is not allowed")]
    [InlineData("CALL add_order()", "'CALL' is not allowed")]
    [InlineData("WITH gone AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM gone", "read-only")]
    [InlineData("COMMIT; DELETE FROM orders", "'COMMIT' is not allowed")]
    [InlineData("SELECT 1; DELETE FROM orders", "one statement per step")]
    [InlineData("ROLLBACK; BEGIN; DELETE FROM orders; COMMIT", "'ROLLBACK' is not allowed")]
    [InlineData("/* a comment first */ COMMIT; DELETE FROM orders", "'COMMIT' is not allowed")]
    [InlineData("SELECT 1 -- ; \n; DELETE FROM orders", "one statement per step")]
    [InlineData("SET TRANSACTION READ WRITE", "'SET' is not allowed")]
    [InlineData("DO $$ BEGIN COMMIT; DELETE FROM orders; END $$", "'DO' is not allowed")]
    public async Task Every_way_to_write_is_refused_and_writes_nothing(string sql, string why)
    {
        await using var database = await DatabaseAsync();
        using var host = Host(database);

        var outcome = await Run(host, sql);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.StartsWith("Refused: ", outcome.Summary);
        Assert.Contains(why, outcome.Summary);
        Assert.Equal(2, await CountOrdersAsync(database));
    }

    [PostgresTheory]
    [InlineData("SELECT 1; DELETE FROM orders", PostgresQuery.SyntaxError)]
    [InlineData("DO $$ BEGIN COMMIT; DELETE FROM orders; END $$", PostgresQuery.TransactionTermination)]
    [InlineData("SELECT nextval('order_numbers')", PostgresQuery.ReadOnlyTransaction)]
    [InlineData("SET TRANSACTION READ WRITE", PostgresQuery.ReadWriteTooLate)]
    public async Task Beneath_the_plan_time_check_the_server_refuses_what_would_write(string sql, string sqlState)
    {
        // What the statement check refuses first still meets a read-only transaction and a one-statement batch.
        await using var database = await DatabaseAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => PostgresQuery.RunAsync(database.ConnectionString, sql, TimeSpan.FromSeconds(30), 10, 100, default));

        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(2, await CountOrdersAsync(database));
    }

    [PostgresFact]
    public async Task A_slow_statement_is_stopped_at_the_time_limit()
    {
        await using var database = await DatabaseAsync();
        using var host = Host(database, timeout: "00:00:00.500", "pg_sleep");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await Run(host, "SELECT pg_sleep(30)");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.StartsWith("Timed out: the statement ran longer than 0.5 s (Tools:Sql:Timeout)", outcome.Summary);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the statement took {clock.Elapsed} to stop");
    }

    [PostgresFact]
    public async Task A_void_result_is_an_empty_cell()
    {
        await using var database = await DatabaseAsync();
        using var host = Host(database, "00:00:30", "pg_sleep");

        var outcome = await Run(host, "SELECT pg_sleep(0) AS slept, 1 AS one");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("1 row (slept, one)", outcome.Summary);
    }

    [PostgresFact]
    public async Task A_missing_table_is_a_plain_error()
    {
        await using var database = await DatabaseAsync();
        using var host = Host(database);

        var outcome = await Run(host, "SELECT * FROM nowhere");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Equal("PostgreSQL error 42P01: relation \"nowhere\" does not exist", outcome.Summary);
        Assert.False(outcome.Transient);
    }
}
