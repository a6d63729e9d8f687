using System.Globalization;
using BotAgent.Core.Tools;
using BotAgent.Testing;
using Npgsql;

namespace BotAgent.Tools.Tests.Sql;

/// <summary>
/// <c>sql.query</c> on a real PostgreSQL database calls only functions on its allow-list: a read-only transaction does
/// not stop a function from ending another session, reading a server file, holding a lock past the rollback or
/// writing through a connection of its own, so such a statement is refused at plan time and nothing happens.
/// Ordinary analytical statements pass and run.
/// </summary>
public sealed class PostgresFunctionTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await ExecuteAsync("""
            CREATE TABLE customers (name text PRIMARY KEY, city text, profile jsonb, joined date);
            INSERT INTO customers VALUES
              ('alice', 'Lyon', '{"tier": "gold", "tags": ["a", "b"], "limits": {"daily": 100}}', '2023-01-15'),
              ('bob', 'Oslo', '{"tier": "basic"}', '2024-03-02'),
              ('carol', 'Lyon', NULL, '2024-06-30');
            CREATE TABLE orders (id int PRIMARY KEY, customer text REFERENCES customers, total numeric(10,2), placed timestamptz);
            INSERT INTO orders VALUES
              (1, 'alice', 12.50, '2024-05-01T10:00:00Z'), (2, 'alice', 40.00, '2024-05-03T09:30:00Z'),
              (3, 'bob', 7.25, '2024-05-03T18:00:00Z'), (4, 'carol', 99.99, '2024-06-01T12:00:00Z');
            CREATE SEQUENCE order_numbers;
            CREATE SCHEMA reports;
            CREATE FUNCTION reports.order_total() RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT sum(total) FROM orders $$;
            """);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = _database.Open();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = _database.Open();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private ToolHost Host(params string[] allowedFunctions)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tools:Http:Enabled"] = "false",
            ["Tools:Sql:Enabled"] = "true",
            ["Tools:Sql:Connections:shop:Provider"] = "Postgres",
            ["Tools:Sql:Connections:shop:ConnectionString"] = _database.ConnectionString,
        };
        for (var i = 0; i < allowedFunctions.Length; i++)
            settings[$"Tools:Sql:AllowedFunctions:{i}"] = allowedFunctions[i];
        return ToolHost.Create(settings);
    }

    // What the planner's step goes through: the plan-time check, then (had it passed) the run.
    private static async Task<(IReadOnlyList<string> Refusals, ToolOutcome Outcome)> PlanAndRunAsync(ToolHost host, string sql)
    {
        var tool = host.Tool("sql.query");
        var refusals = tool.CheckArguments(ToolHost.Args(new { connection = "shop", sql }));
        var outcome = await tool.InvokeAsync(ToolHost.Call(new { connection = "shop", sql }), default);
        return (refusals, outcome);
    }

    private static void AssertRefused(string function, IReadOnlyList<string> refusals, ToolOutcome outcome)
    {
        var refusal = Assert.Single(refusals);
        Assert.StartsWith($"function {function}() is not allowed: sql.query calls only functions on its allow-list", refusal);
        Assert.Contains("Tools:Sql:AllowedFunctions", refusal);
        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.Equal("Refused: " + refusal, outcome.Summary);
    }

    [PostgresTheory]
    [InlineData("SELECT set_config('default_transaction_read_only', 'off', false)", "set_config")]
    [InlineData("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database()", "pg_cancel_backend")]
    [InlineData("SELECT pg_reload_conf()", "pg_reload_conf")]
    [InlineData("SELECT pg_rotate_logfile()", "pg_rotate_logfile")]
    [InlineData("SELECT pg_read_file('postgresql.conf')", "pg_read_file")]
    [InlineData("SELECT name FROM pg_ls_dir('.') AS d(name)", "pg_ls_dir")]
    [InlineData("SELECT lo_export(1, '/tmp/botagent-export')", "lo_export")]
    [InlineData("SELECT pg_notify('jobs', 'run')", "pg_notify")]
    [InlineData("SELECT setval('order_numbers', 42)", "setval")]
    [InlineData("SELECT txid_current()", "txid_current")]
    [InlineData("SELECT query_to_xml('SELECT pg_terminate_backend(1)', true, true, '')", "query_to_xml")]
    [InlineData("SELECT pg_catalog.pg_switch_wal()", "pg_catalog.pg_switch_wal")]
    [InlineData("SELECT count(*) FROM orders WHERE id IN (SELECT pg_sleep(5)::text::int)", "pg_sleep")]
    public async Task Functions_that_act_outside_the_statement_are_refused_at_plan_time(string sql, string function)
    {
        using var host = Host();

        var (refusals, outcome) = await PlanAndRunAsync(host, sql);

        AssertRefused(function, refusals, outcome);
    }

    [PostgresTheory]
    [InlineData("SELECT pg_terminate_backend({0})")]
    [InlineData("SELECT DISTINCT ON (1) pg_terminate_backend({0})")] // a call after ")" (a review found this ran)
    [InlineData("SELECT 'x' OPERATOR(pg_catalog.||) pg_terminate_backend({0})::text")]
    public async Task Pg_terminate_backend_cannot_end_another_session(string statement)
    {
        using var host = Host();
        await using var victim = _database.Open();
        await using var pid = new NpgsqlCommand("SELECT pg_backend_pid()", victim);
        var victimPid = (int)(await pid.ExecuteScalarAsync())!;

        var (refusals, outcome) = await PlanAndRunAsync(host, string.Format(CultureInfo.InvariantCulture, statement, victimPid));

        AssertRefused("pg_terminate_backend", refusals, outcome);
        await using var stillAlive = new NpgsqlCommand("SELECT 1", victim);
        Assert.Equal(1, (int)(await stillAlive.ExecuteScalarAsync())!);
    }

    [PostgresFact]
    public async Task A_huge_value_is_read_only_as_far_as_it_is_shown()
    {
        // 300 MB of text (600 MB as .NET chars) would be buffered whole by a plain reader; sequential reads skip past it.
        using var host = Host();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var (refusals, outcome) = await PlanAndRunAsync(host, "SELECT repeat('x', 300000000) AS big, decode(repeat('ab', 150000000), 'hex') AS bytes, 'after' AS next");

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Empty(refusals);
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Contains("xxxxxxxx", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("0xABABABAB", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("after", outcome.Output, StringComparison.Ordinal);
        Assert.True(allocated < 150_000_000, $"{allocated:N0} bytes were allocated to show a 300 MB value");
    }

    [PostgresFact]
    public async Task Dblink_exec_cannot_write_through_a_connection_of_its_own()
    {
        // dblink_exec opens a second connection, outside the read-only transaction, and commits there.
        await ExecuteAsync("CREATE EXTENSION IF NOT EXISTS dblink");
        var target = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        var libpq = $"host={target.Host} port={target.Port} dbname={target.Database} user={target.Username}";
        using var host = Host();

        var (refusals, outcome) = await PlanAndRunAsync(host, $"SELECT dblink_exec('{libpq}', 'DELETE FROM orders')");

        AssertRefused("dblink_exec", refusals, outcome);
        Assert.Equal(4L, await ScalarAsync<long>("SELECT count(*) FROM orders"));
    }

    [PostgresFact]
    public async Task An_advisory_lock_cannot_outlive_the_statement()
    {
        // A session-level advisory lock survives the rollback and stays with the pooled connection.
        using var host = Host();

        var (refusals, outcome) = await PlanAndRunAsync(host, "SELECT pg_advisory_lock(4242)");

        AssertRefused("pg_advisory_lock", refusals, outcome);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242"));
    }

    [PostgresFact]
    public async Task Lo_import_cannot_read_a_server_file()
    {
        using var host = Host();

        var (refusals, outcome) = await PlanAndRunAsync(host, "SELECT lo_import('/etc/hostname')");

        AssertRefused("lo_import", refusals, outcome);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata"));
    }

    [PostgresTheory]
    [InlineData("SELECT c.city, count(*) AS orders, sum(o.total) AS spent FROM orders o JOIN customers c ON c.name = o.customer GROUP BY c.city ORDER BY c.city", "2 rows (city, orders, spent)")]
    [InlineData("SELECT customer, total, rank() OVER (PARTITION BY customer ORDER BY total DESC) AS r, sum(total) OVER w AS running FROM orders WINDOW w AS (ORDER BY id) ORDER BY id", "4 rows (customer, total, r, running)")]
    [InlineData("WITH big(customer, total) AS (SELECT customer, total FROM orders WHERE total > 10) SELECT customer, max(total) FROM big GROUP BY customer", "2 rows (customer, max)")]
    [InlineData("WITH RECURSIVE days(d) AS (VALUES (date '2024-05-01') UNION ALL SELECT d + 1 FROM days WHERE d < date '2024-05-07') SELECT d, count(o.id) FROM days LEFT JOIN orders o ON o.placed::date = d GROUP BY d ORDER BY d", "7 rows (d, count)")]
    [InlineData("SELECT date_trunc('month', placed) AS month, extract(dow FROM placed) AS dow, to_char(placed, 'YYYY-MM-DD') AS day, age(timestamptz '2025-01-01', placed) > interval '30 days' AS old FROM orders", "4 rows (month, dow, day, old)")]
    [InlineData("SELECT CAST(total AS numeric(12,3)) AS t3, total::int AS whole, id::text || '-' || customer AS label, CAST(id AS varchar(5)) AS v FROM orders", "4 rows (t3, whole, label, v)")]
    [InlineData("SELECT name FROM customers c WHERE city IN ('Lyon', 'Paris') AND EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.name AND o.total > 20)", "2 rows (name)")]
    [InlineData("SELECT name, profile->>'tier' AS tier, profile #>> '{limits,daily}' AS daily, profile @> '{\"tier\": \"gold\"}' AS gold, jsonb_array_length(profile->'tags') AS tags FROM customers WHERE profile ? 'tier'", "2 rows (name, tier, daily, gold, tags)")]
    [InlineData("SELECT name, e.key FROM customers, jsonb_each(profile) AS e(key, value) ORDER BY 1, 2", "4 rows (name, key)")]
    [InlineData("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) AS median, count(*) FILTER (WHERE total > 10) AS big, round(avg(total), 2) AS mean, coalesce(nullif(min(customer), ''), '?') AS first FROM orders", "1 row (median, big, mean, first)")]
    [InlineData("SELECT DISTINCT ON (customer) customer, id, total FROM orders ORDER BY customer, total DESC", "3 rows (customer, id, total)")]
    [InlineData("SELECT city, grouping(city) AS g, count(*) FROM customers GROUP BY ROLLUP (city)", "3 rows (city, g, count)")]
    [InlineData("SELECT n, lpad(n::text, 3, '0') AS padded FROM generate_series(1, 3) AS g(n)", "3 rows (n, padded)")] // a bare alias g(n) would read as a call of g
    [InlineData("SELECT 'pg_terminate_backend(1)' AS text, $$dblink_exec('x')$$ AS quoted /* lo_import( */ FROM orders LIMIT 1", "1 row (text, quoted)")]
    [InlineData("SELECT current_setting('transaction_read_only') AS ro, pg_typeof(now()) AS type, upper(customer) FROM orders WHERE customer LIKE 'a%' AND placed BETWEEN now() - interval '10 years' AND now()", "2 rows (ro, type, upper)")]
    [InlineData("EXPLAIN (COSTS OFF) SELECT count(*) FROM orders", "2 rows (QUERY PLAN)")] // Aggregate, Seq Scan
    public async Task Ordinary_analytical_queries_pass_the_check_and_run(string sql, string summary)
    {
        using var host = Host();

        var (refusals, outcome) = await PlanAndRunAsync(host, sql);

        Assert.Empty(refusals);
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(summary, outcome.Summary);
    }

    [PostgresFact]
    public async Task A_function_an_operator_adds_to_AllowedFunctions_may_be_called()
    {
        using var plain = Host();
        using var extended = Host("pg_database_size", "reports.order_total");
        const string Size = "SELECT pg_size_pretty(pg_database_size(current_database())) AS size";
        const string Total = "SELECT reports.order_total() AS total";

        var (sizeRefusals, _) = await PlanAndRunAsync(plain, Size);
        var (totalRefusals, _) = await PlanAndRunAsync(plain, Total);
        var (_, size) = await PlanAndRunAsync(extended, Size);
        var (_, total) = await PlanAndRunAsync(extended, Total);
        var (unqualified, _) = await PlanAndRunAsync(extended, "SELECT order_total()");

        Assert.Contains("function pg_database_size() is not allowed", Assert.Single(sizeRefusals));
        Assert.Contains("function reports.order_total() is not allowed", Assert.Single(totalRefusals));
        Assert.True(size.Succeeded, size.Error);
        Assert.True(total.Succeeded, total.Error);
        Assert.Contains("159.74", total.Output);
        Assert.Contains("function order_total() is not allowed", Assert.Single(unqualified));
    }

    [PostgresFact]
    public async Task A_writing_function_allowed_by_mistake_still_meets_the_read_only_transaction()
    {
        using var host = Host("nextval");

        var (refusals, outcome) = await PlanAndRunAsync(host, "SELECT nextval('order_numbers')");

        Assert.Empty(refusals);
        Assert.Equal("Refused: sql.query is read-only and the statement tried to write (cannot execute nextval() in a read-only transaction)", outcome.Summary);
        Assert.False(await ScalarAsync<bool>("SELECT is_called FROM order_numbers"));
    }
}
