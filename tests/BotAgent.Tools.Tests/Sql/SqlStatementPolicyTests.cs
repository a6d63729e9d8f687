using BotAgent.Core.Tools;

namespace BotAgent.Tools.Tests.Sql;

/// <summary>
/// What <c>sql.query</c> refuses at plan time (CheckArguments, before anyone is asked to approve), read from the
/// statement as PostgreSQL's or SQLite's own lexer would: nothing here connects to a database.
/// </summary>
public sealed class SqlStatementPolicyTests : IDisposable
{
    private readonly ToolHost _host = ToolHost.Create(new Dictionary<string, string?>
    {
        ["Tools:Http:Enabled"] = "false",
        ["Tools:Sql:Enabled"] = "true",
        ["Tools:Sql:Connections:shop:Provider"] = "Postgres",
        ["Tools:Sql:Connections:shop:ConnectionString"] = "Host=db.invalid;Username=reader",
        ["Tools:Sql:Connections:local:Provider"] = "Sqlite",
        ["Tools:Sql:Connections:local:ConnectionString"] = "Data Source=never-opened.db",
    });

    public void Dispose() => _host.Dispose();

    private IReadOnlyList<string> Check(string sql, string connection = "shop") =>
        _host.Tool("sql.query").CheckArguments(ToolHost.Args(new { connection, sql }));

    [Theory]
    [InlineData("SELECT pg_terminate_backend(1)", "pg_terminate_backend")]
    [InlineData("select PG_TERMINATE_BACKEND (1)", "PG_TERMINATE_BACKEND")]
    [InlineData("SELECT \"pg_terminate_backend\"(1)", "\"pg_terminate_backend\"")]
    [InlineData("SELECT pg_catalog.pg_terminate_backend(1)", "pg_catalog.pg_terminate_backend")]
    [InlineData("SELECT pg_catalog . pg_cancel_backend /* a comment */ (1)", "pg_catalog.pg_cancel_backend")]
    [InlineData("SELECT U&\"pg_terminate_backen\\0064\"(1)", "\"pg_terminate_backen\\0064\"")]
    [InlineData("SELECT public.count(*) FROM orders", "public.count")]
    [InlineData("SELECT \"Count\"(*) FROM orders", "\"Count\"")]
    [InlineData("SELECT 'a' || set_config('default_transaction_read_only', 'off', false)", "set_config")]
    [InlineData("SELECT coalesce(set_config('a.b', 'c', false), 'x')", "set_config")]
    [InlineData("SELECT * FROM orders WHERE id = ANY (SELECT pg_cancel_backend(pid) FROM pg_stat_activity)", "pg_cancel_backend")]
    [InlineData("SELECT count(*) FROM orders WHERE id IN (SELECT lo_unlink(id) FROM orders)", "lo_unlink")]
    [InlineData("SELECT lo_import('/etc/passwd')", "lo_import")]
    [InlineData("SELECT lo_export(1, '/tmp/out')", "lo_export")]
    [InlineData("SELECT lo_from_bytea(0, 'x')", "lo_from_bytea")]
    [InlineData("SELECT dblink_exec('dbname=shop', 'DELETE FROM orders')", "dblink_exec")]
    [InlineData("SELECT * FROM dblink('dbname=shop', 'SELECT 1') AS t(x int)", "dblink")]
    [InlineData("SELECT * FROM (SELECT 'dbname=shop' AS c) q, dblink(c, 'DELETE FROM orders') AS materialized(x text)", "dblink")]
    [InlineData("SELECT * FROM (SELECT 'DELETE FROM orders' AS c) q, dblink(c) AS (x text)", "dblink")]
    [InlineData("SELECT pg_advisory_lock(42)", "pg_advisory_lock")]
    [InlineData("SELECT pg_try_advisory_lock_shared(42)", "pg_try_advisory_lock_shared")]
    [InlineData("SELECT pg_read_file('/etc/passwd')", "pg_read_file")]
    [InlineData("SELECT pg_read_binary_file('postgresql.conf')", "pg_read_binary_file")]
    [InlineData("SELECT * FROM pg_ls_dir('.') AS d(name)", "pg_ls_dir")]
    [InlineData("SELECT pg_stat_file('postgresql.conf')", "pg_stat_file")]
    [InlineData("SELECT pg_reload_conf()", "pg_reload_conf")]
    [InlineData("SELECT pg_rotate_logfile()", "pg_rotate_logfile")]
    [InlineData("SELECT pg_switch_wal()", "pg_switch_wal")]
    [InlineData("SELECT pg_promote()", "pg_promote")]
    [InlineData("SELECT pg_backup_start('x')", "pg_backup_start")]
    [InlineData("SELECT pg_create_logical_replication_slot('s', 'test_decoding')", "pg_create_logical_replication_slot")]
    [InlineData("SELECT pg_drop_replication_slot('s')", "pg_drop_replication_slot")]
    [InlineData("SELECT * FROM pg_logical_slot_get_changes('s', NULL, NULL)", "pg_logical_slot_get_changes")]
    [InlineData("SELECT pg_notify('jobs', 'x')", "pg_notify")]
    [InlineData("SELECT nextval('order_numbers')", "nextval")]
    [InlineData("SELECT setval('order_numbers', 1)", "setval")]
    [InlineData("SELECT txid_current()", "txid_current")]
    [InlineData("SELECT pg_sleep(3600)", "pg_sleep")]
    [InlineData("SELECT query_to_xml('SELECT 1', true, true, '')", "query_to_xml")]
    [InlineData("SELECT cursor_to_xml('c', 1, true, true, '')", "cursor_to_xml")]
    [InlineData("SELECT ts_stat('SELECT 1')", "ts_stat")]
    [InlineData("EXPLAIN ANALYZE SELECT pg_terminate_backend(1)", "pg_terminate_backend")]
    [InlineData("WITH RECURSIVE t(n) AS (SELECT 1) SELECT lo_unlink(n) FROM t", "lo_unlink")]
    [InlineData("SELECT (pg_terminate_backend(1))", "pg_terminate_backend")]
    [InlineData("SELECT $$ $$ || pg_read_file('/etc/passwd')", "pg_read_file")]
    [InlineData("SELECT $a$ $$ $a$, lo_import('/etc/passwd')", "lo_import")]
    [InlineData("SELECT E'\\'', pg_ls_dir('.')", "pg_ls_dir")]
    [InlineData("SELECT 'it''s', dblink_exec('', '')", "dblink_exec")]
    [InlineData("SELECT /* /* nested */ still a comment */ pg_sleep(1)", "pg_sleep")]
    [InlineData("SELECT 1 -- a comment\n, pg_notify('a', 'b')", "pg_notify")]
    [InlineData("SELECT x FROM orders o(x)", "o")] // a bare alias with column names: write AS o(x)
    [InlineData("SELECT n FROM generate_series(1, 3) g(n)", "g")]
    // A call right after a closing parenthesis (found by a review: these ran on PostgreSQL before).
    [InlineData("SELECT DISTINCT ON (1) pg_terminate_backend(pid) FROM pg_stat_activity", "pg_terminate_backend")]
    [InlineData("SELECT DISTINCT ON (1) set_config('statement_timeout', '0', false)", "set_config")]
    [InlineData("SELECT DISTINCT ON (1) pg_advisory_lock(42)::text", "pg_advisory_lock")]
    [InlineData("SELECT 'a' OPERATOR(pg_catalog.||) pg_advisory_lock(43)::text", "pg_advisory_lock")]
    [InlineData("SELECT 1 WHERE EXISTS (SELECT DISTINCT ON (1) pg_sleep(0.1)::text)", "pg_sleep")]
    [InlineData("SELECT DISTINCT ON (1) txid_current()", "txid_current")]
    public void A_postgres_function_that_is_not_on_the_allow_list_is_refused_naming_it(string sql, string written)
    {
        var refusals = Check(sql);

        var refusal = Assert.Single(refusals);
        Assert.Equal(
            $"function {written}() is not allowed: sql.query calls only functions on its allow-list of functions that cannot act "
            + "outside the statement; an operator who knows it only reads can add it to Tools:Sql:AllowedFunctions",
            refusal);
    }

    [Theory]
    [InlineData("SELECT count(*) FILTER (WHERE total > 5) AS big, sum(total), avg(total), max(placed) FROM orders")]
    [InlineData("SELECT customer, rank() OVER (PARTITION BY customer ORDER BY total DESC), lag(total) OVER w FROM orders WINDOW w AS (ORDER BY id)")]
    [InlineData("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total), mode() WITHIN GROUP (ORDER BY customer) FROM orders")]
    [InlineData("SELECT * FROM orders WHERE id IN (1, 2) AND EXISTS (SELECT 1 FROM orders o2 WHERE o2.id = orders.id) AND NOT (total < 0)")]
    [InlineData("SELECT CAST(total AS numeric(10,2)), total::numeric(12,3), 'x'::varchar(20), CAST(id AS character varying(10)), b::bit varying(8) FROM orders")]
    [InlineData("SELECT ARRAY(SELECT id FROM orders), ROW(1, 2), ARRAY[1, 2], x = ANY (ARRAY[1]) FROM t")]
    [InlineData("WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT sum(n) FROM t")]
    [InlineData("WITH a AS (SELECT 1 AS x), b(y) AS MATERIALIZED (SELECT x FROM a), c(z) AS NOT MATERIALIZED (TABLE b) SELECT * FROM c")]
    [InlineData("SELECT n FROM generate_series(1, 3) AS g(n) JOIN generate_series(1, 3) AS h(m) ON g.n = h.m")]
    [InlineData("SELECT * FROM (VALUES (1, 'a')) AS v(id, name), (SELECT 1) AS s(one)")]
    [InlineData("SELECT DISTINCT ON (customer) customer, total FROM orders ORDER BY customer, total DESC")]
    [InlineData("SELECT * FROM unnest(ARRAY[1, 2]) WITH ORDINALITY AS t(x, n), LATERAL (SELECT x * 2) AS d(y)")]
    [InlineData("SELECT date_trunc('day', now()) - interval '7 days', extract(year FROM now()), now() AT TIME ZONE 'UTC', age(placed), to_char(placed, 'YYYY-MM') FROM orders")]
    [InlineData("SELECT profile->>'city', profile #> '{a,b}', profile @> '{\"a\":1}', profile ? 'a', jsonb_path_query_first(profile, '$.a') FROM customers")]
    [InlineData("SELECT key, value FROM customers, jsonb_each(profile) AS e(key, value)")]
    [InlineData("SELECT coalesce(a, 0), nullif(b, 0), greatest(1, 2), least(1, 2), CASE WHEN a > 1 THEN 'x' ELSE 'y' END FROM t")]
    [InlineData("SELECT DISTINCT ON (customer) customer, total FROM orders ORDER BY customer, id")]
    [InlineData("SELECT customer, sum(total) FROM orders GROUP BY ROLLUP (customer)")]
    [InlineData("SELECT customer, grouping(customer), sum(total) FROM orders GROUP BY GROUPING SETS ((customer), ())")]
    [InlineData("SELECT a, b FROM t GROUP BY CUBE (a, b)")]
    [InlineData("SELECT 'pg_terminate_backend(1)' AS a, $$dblink_exec('x')$$ AS b, $q$ set_config( $q$ AS c, E'it\\'s lo_import(' AS d /* pg_sleep( */ -- pg_notify(\n FROM orders")]
    [InlineData("SELECT 1 AS \"weird(\", \"lo_import\" FROM orders")]
    [InlineData("SELECT * FROM orders TABLESAMPLE SYSTEM (50) REPEATABLE (1)")]
    [InlineData("SELECT * FROM orders TABLESAMPLE BERNOULLI (10)")]
    [InlineData("EXPLAIN SELECT count(*) FROM orders")]
    [InlineData("EXPLAIN (FORMAT JSON) SELECT 1")]
    [InlineData("SELECT pg_catalog.lower('A'), \"lower\"('B'), pg_catalog.count(*) FROM orders")]
    [InlineData("SELECT left('abc', 2), right('abc', 1), substring('abc' FROM 2 FOR 1), position('b' IN 'abc'), trim(both ' ' FROM ' a '), overlay('abc' PLACING 'x' FROM 2)")]
    [InlineData("SELECT x FROM t WHERE (a, b) OVERLAPS (c, d) AND s LIKE ('a' || 'b') AND s ILIKE ('%')")]
    [InlineData("SELECT a OPERATOR(pg_catalog.+) b FROM t")]
    [InlineData("SELECT interval '1' day to second (3), time(3) with time zone '10:00', timestamp(3) '2024-01-01'")]
    [InlineData("TABLE orders")]
    [InlineData("VALUES (1), (2)")]
    [InlineData("SHOW TimeZone")]
    [InlineData("(SELECT 1) UNION (SELECT 2)")]
    [InlineData("SELECT current_setting('TimeZone'), version(), pg_typeof(1), current_database(), current_schema()")]
    [InlineData("SELECT 0x1F, 1_000, 1.5e-3, .5, $1")]
    [InlineData("SELECT regexp_replace(customer, '(a)(b)', '\\2'), split_part(customer, ',', 1), md5(customer), round(total, 1) FROM orders;")]
    [InlineData("INSERT INTO orders (id) VALUES (1)")] // left to the read-only transaction, which names the write
    public void Ordinary_analytical_postgres_statements_pass(string sql)
    {
        Assert.Empty(Check(sql));
    }

    [Theory]
    [InlineData("DO $$ BEGIN PERFORM 1; END $$", "DO")]
    [InlineData("CALL add_order()", "CALL")]
    [InlineData("COPY orders TO PROGRAM 'id'", "COPY")]
    [InlineData("/* a comment first */ COPY orders TO STDOUT", "COPY")]
    [InlineData("SET search_path = evil", "SET")]
    [InlineData("set local statement_timeout = 0", "SET")]
    [InlineData("RESET ALL", "RESET")]
    [InlineData("LISTEN jobs", "LISTEN")]
    [InlineData("NOTIFY jobs", "NOTIFY")]
    [InlineData("LOCK TABLE orders", "LOCK")]
    [InlineData("PREPARE p AS SELECT 1", "PREPARE")]
    [InlineData("EXECUTE p", "EXECUTE")]
    [InlineData("EXPLAIN ANALYZE EXECUTE p", "EXECUTE")]
    [InlineData("EXPLAIN (ANALYZE, VERBOSE) DECLARE c CURSOR FOR SELECT 1", "DECLARE")]
    [InlineData("DECLARE c CURSOR FOR SELECT 1", "DECLARE")]
    [InlineData("FETCH ALL FROM c", "FETCH")]
    [InlineData("DISCARD ALL", "DISCARD")]
    [InlineData("LOAD 'auto_explain'", "LOAD")]
    [InlineData("COMMIT", "COMMIT")]
    public void Statements_that_run_code_or_change_the_session_are_refused_on_postgres(string sql, string word)
    {
        var refusal = Check(sql).First();

        Assert.Equal($"'{word}' is not allowed: sql.query runs one read-only statement in a transaction of its own", refusal);
    }

    [Theory]
    [InlineData("SELECT 'abc", "string")]
    [InlineData("SELECT E'abc\\'", "string")]
    [InlineData("SELECT \"abc", "quoted name")]
    [InlineData("SELECT $$abc", "dollar-quoted string")]
    [InlineData("SELECT $x$abc$$", "dollar-quoted string")]
    [InlineData("SELECT 1 /* abc /* nested */", "comment")]
    public void A_postgres_statement_whose_end_is_unclear_is_refused(string sql, string what)
    {
        Assert.Equal([$"the statement has an unterminated {what}; sql.query does not guess where it ends"], Check(sql));
    }

    [Theory]
    [InlineData("SELECT 1; SELECT 2")]
    [InlineData("SELECT 1; DELETE FROM orders;")]
    public void More_than_one_statement_is_refused_at_plan_time(string sql)
    {
        Assert.Contains("sql.query runs one statement per step; split the statements into separate steps", Check(sql));
    }

    [Theory]
    [InlineData("SELECT load_extension('/tmp/evil.so')", "load_extension")]
    [InlineData("SELECT LOAD_EXTENSION('/tmp/evil.so')", "load_extension")]
    [InlineData("SELECT [load_extension]('/tmp/evil.so')", "load_extension")]
    [InlineData("SELECT `load_extension`('/tmp/evil.so')", "load_extension")]
    [InlineData("SELECT hex(fts3_tokenizer('simple'))", "fts3_tokenizer")]
    [InlineData("SELECT readfile('/etc/passwd')", "readfile")]
    [InlineData("SELECT writefile('/tmp/x', 'y')", "writefile")]
    [InlineData("SELECT edit('x')", "edit")]
    public void Sqlite_functions_that_load_code_or_touch_files_are_refused(string sql, string name)
    {
        var refusal = Assert.Single(Check(sql, "local"));

        Assert.Equal($"function {name}() is not allowed: on SQLite it loads code, touches files or exposes the process's memory", refusal);
    }

    [Theory]
    [InlineData("SELECT 'load_extension(1)', \"readfile\" FROM t")]
    [InlineData("SELECT ifnull(a, 0), printf('%d', 1), strftime('%Y', 'now'), group_concat(x), total(y) FROM t")]
    [InlineData("SELECT pg_terminate_backend(1)")] // no such function on SQLite: SQLite says so when it runs
    [InlineData("SELECT [weird(], `x` FROM t WHERE a = :a OR b = $b OR c = @c OR d = ?1")]
    [InlineData("/* /* not nested on SQLite */ SELECT 1")]
    [InlineData("SELECT 1 /* a comment SQLite ends at the end of the text")]
    public void Sqlite_statements_keep_todays_behaviour(string sql)
    {
        Assert.Empty(Check(sql, "local"));
    }

    [Fact]
    public async Task A_refused_statement_is_refused_again_when_the_step_runs_without_touching_the_database()
    {
        var outcome = await _host.Tool("sql.query").InvokeAsync(ToolHost.Call(new { connection = "shop", sql = "SELECT pg_terminate_backend(1)" }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.StartsWith("Refused: function pg_terminate_backend() is not allowed", outcome.Summary);
    }
}
