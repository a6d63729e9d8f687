using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Data.Sqlite;

namespace BotAgent.Tools.Tests.Sql;

/// <summary><c>sql.query</c> on real SQLite files: reads work, every kind of write is refused by SQLite itself.</summary>
public sealed class SqliteQueryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("botagent-sql-").FullName;
    private readonly string _database;

    public SqliteQueryTests()
    {
        _database = Path.Join(_folder, "orders.db");
        using var connection = new SqliteConnection($"Data Source={_database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL, note TEXT, payload BLOB);
            INSERT INTO orders VALUES (1, 'alice', 12.5, NULL, x'DEADBEEF');
            INSERT INTO orders VALUES (2, 'bob', 7, 'line one
            line two', NULL);
            INSERT INTO orders VALUES (3, 'carol', 99.99, 'ok', NULL);
            """;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private ToolHost Host(string? connectionString = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tools:Http:Enabled"] = "false",
            ["Tools:Sql:Enabled"] = "true",
            ["Tools:Sql:Connections:orders:Provider"] = "Sqlite",
            ["Tools:Sql:Connections:orders:ConnectionString"] = connectionString ?? $"Data Source={_database}",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return ToolHost.Create(settings);
    }

    private long CountOrders()
    {
        using var connection = new SqliteConnection($"Data Source={_database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM orders";
        return (long)command.ExecuteScalar()!;
    }

    private static Task<ToolOutcome> Run(ToolHost host, string sql) =>
        host.Tool("sql.query").InvokeAsync(ToolHost.Call(new { connection = "orders", sql }), default);

    [Fact]
    public void Descriptor_is_read_only_and_takes_the_sql_first()
    {
        using var host = Host();
        var descriptor = host.Tool("sql.query").Descriptor;

        Assert.Equal(RiskLevel.ReadOnly, descriptor.Risk);
        Assert.True(descriptor.IsRetrySafe);
        Assert.Equal("sql", descriptor.PrimaryArgument);
        Assert.Contains("orders: Sqlite", descriptor.Description);
    }

    [Fact]
    public async Task Select_returns_a_text_table_and_a_summary_with_the_columns()
    {
        using var host = Host();

        var outcome = await Run(host, "SELECT id, customer, total, note, payload FROM orders ORDER BY id");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("3 rows (id, customer, total, note, payload)", outcome.Summary);
        Assert.Equal(
            """
            id | customer | total | note              | payload
            ---+----------+-------+-------------------+-----------
            1  | alice    | 12.5  | NULL              | 0xDEADBEEF
            2  | bob      | 7     | line one line two | NULL
            3  | carol    | 99.99 | ok                | NULL
            """,
            outcome.Output);
    }

    [Fact]
    public async Task Rows_beyond_MaxRows_are_not_read_and_the_summary_says_so()
    {
        using var host = Host(extra: new Dictionary<string, string?> { ["Tools:Sql:MaxRows"] = "2" });

        var outcome = await Run(host, "SELECT id FROM orders ORDER BY id");

        Assert.Equal("first 2 rows (id); more not shown (Tools:Sql:MaxRows)", outcome.Summary);
        Assert.DoesNotContain("3", outcome.Output!.Split('\n').Skip(2));
    }

    [Theory]
    [InlineData("INSERT INTO orders VALUES (4, 'mallory', 1, NULL, NULL)", "is read-only and the statement would write")]
    [InlineData("DELETE FROM orders", "is read-only and the statement would write")]
    [InlineData("UPDATE orders SET total = 0", "is read-only and the statement would write")]
    [InlineData("DROP TABLE orders", "is read-only and the statement would write")]
    [InlineData("CREATE TABLE stolen (x)", "is read-only and the statement would write")]
    [InlineData("WITH gone AS (SELECT 1) DELETE FROM orders", "is read-only and the statement would write")]
    [InlineData("PRAGMA user_version = 7", "is read-only and the statement would write")]
    [InlineData("SELECT 1; DELETE FROM orders", "runs one statement per step")]
    [InlineData("PRAGMA query_only = 0; DELETE FROM orders", "runs one statement per step")]
    [InlineData("/* hidden */ ; DELETE FROM orders", "is read-only and the statement would write")]
    public async Task A_write_is_refused_clearly_and_changes_nothing(string sql, string why)
    {
        using var host = Host();

        var outcome = await Run(host, sql);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.StartsWith("Refused: sql.query ", outcome.Summary);
        Assert.Contains(why, outcome.Summary);
        Assert.Equal(3, CountOrders());
    }

    [Fact]
    public void The_connection_itself_is_read_only_whatever_the_statement()
    {
        // Beneath the tool's own check: the file is opened read-only, so SQLite refuses the write.
        using var connection = new SqliteConnection(BotAgent.Tools.Sql.SqliteQuery.ReadOnly($"Data Source={_database};Mode=ReadWriteCreate;Pooling=false"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM orders";

        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());

        Assert.Equal(8, error.SqliteErrorCode); // SQLITE_READONLY
        Assert.Equal(3, CountOrders());
    }

    [Fact]
    public async Task A_connection_string_that_asks_for_read_write_is_still_opened_read_only()
    {
        using var host = Host($"Data Source={_database};Mode=ReadWriteCreate");

        var outcome = await Run(host, "DELETE FROM orders");

        Assert.StartsWith("Refused: ", outcome.Summary);
        Assert.Equal(3, CountOrders());
    }

    [Fact]
    public async Task Attaching_another_database_is_refused_so_no_other_file_can_be_read()
    {
        using var host = Host();

        var outcome = await Run(host, $"ATTACH DATABASE '{_database}' AS other");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Equal("Refused: sql.query reads only the configured database: ATTACH and VACUUM INTO are not allowed", outcome.Summary);
    }

    [Theory]
    [InlineData("ATTACH DATABASE '{0}' AS other; CREATE TABLE other.t (x)")]
    [InlineData("ATTACH DATABASE 'file:{0}?mode=rwc' AS other; CREATE TABLE other.t (x)")]
    [InlineData("VACUUM INTO '{0}'")]
    public async Task Writing_another_file_is_refused_and_creates_nothing(string template)
    {
        using var host = Host();
        var other = Path.Join(_folder, "other.db");

        var outcome = await Run(host, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, other));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(File.Exists(other), "a read-only connection created another database file");
    }

    [Fact]
    public async Task A_runaway_query_is_interrupted_at_the_time_limit()
    {
        using var host = Host(extra: new Dictionary<string, string?> { ["Tools:Sql:Timeout"] = "00:00:00.300" });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await Run(host, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.StartsWith("Timed out: the statement ran longer than 0.3 s (Tools:Sql:Timeout)", outcome.Summary);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the query took {clock.Elapsed} to stop");
    }

    [Fact]
    public async Task Cancelling_the_step_interrupts_a_runaway_query()
    {
        using var host = Host();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Tool("sql.query").InvokeAsync(
            ToolHost.Call(new { sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n" }), cts.Token));
    }

    [Fact]
    public async Task A_missing_database_file_fails_clearly()
    {
        using var host = Host($"Data Source={Path.Join(_folder, "missing.db")}");

        var outcome = await Run(host, "SELECT 1");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Contains("SQLite error 14", outcome.Summary);
        Assert.False(File.Exists(Path.Join(_folder, "missing.db")));
    }

    [Fact]
    public async Task The_only_connection_is_the_default()
    {
        using var host = Host();

        Assert.Empty(host.Tool("sql.query").CheckArguments(ToolHost.Args(new { sql = "SELECT 1" })));
        var outcome = await host.Tool("sql.query").InvokeAsync(ToolHost.Call(new { sql = "SELECT 1 AS one" }), default);

        Assert.Equal("1 row (one)", outcome.Summary);
    }

    [Theory]
    [InlineData("COMMIT")]
    [InlineData("  begin transaction")]
    [InlineData("COPY orders TO PROGRAM 'rm -rf /'")]
    public void Transaction_control_and_copy_are_refused_at_plan_time(string sql)
    {
        using var host = Host();

        var refusal = Assert.Single(host.Tool("sql.query").CheckArguments(ToolHost.Args(new { connection = "orders", sql })));

        Assert.Contains("is not allowed", refusal);
    }

    [Theory]
    [InlineData("SELECT hex(fts3_tokenizer('simple'))", "fts3_tokenizer")]
    [InlineData("SELECT load_extension('/tmp/no-such-extension')", "load_extension")]
    public async Task Functions_that_load_code_or_expose_memory_are_refused_at_plan_time(string sql, string name)
    {
        // fts3_tokenizer is compiled into the bundled SQLite and returns a pointer into the process.
        using var host = Host();

        var refusal = Assert.Single(host.Tool("sql.query").CheckArguments(ToolHost.Args(new { connection = "orders", sql })));
        var outcome = await Run(host, sql);

        Assert.StartsWith($"function {name}() is not allowed", refusal);
        Assert.Equal("Refused: " + refusal, outcome.Summary);
    }

    [Theory]
    [InlineData("SELECT zeroblob(500000000)")]
    [InlineData("SELECT length(printf('%.*c', 100000000, 'x'))")]
    public async Task A_value_too_big_to_hold_is_refused_by_sqlite_before_it_is_built(string sql)
    {
        using var host = Host();

        var outcome = await Run(host, sql);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Contains("longer than 16 MB", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ordinary_sqlite_functions_still_run()
    {
        using var host = Host();

        var outcome = await Run(host, "SELECT customer, printf('%.2f', total) AS total, ifnull(note, '-') AS note, upper(substr(customer, 1, 1)) AS initial FROM orders WHERE id IN (1, 3) ORDER BY id");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("2 rows (customer, total, note, initial)", outcome.Summary);
    }

    [Fact]
    public void An_unknown_connection_is_refused_at_plan_time()
    {
        using var host = Host();

        var refusal = Assert.Single(host.Tool("sql.query").CheckArguments(ToolHost.Args(new { connection = "billing", sql = "SELECT 1" })));

        Assert.Contains("there is no connection 'billing'", refusal);
    }
}
