using BotAgent.Core.Tools;
using Microsoft.Data.Sqlite;

namespace BotAgent.Tools.Tests.Sql;

/// <summary>What <c>sql.query</c> reaches (a configured connection) and the rows it measures, on a real SQLite file.</summary>
public sealed class SqlTargetsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("botagent-sql-").FullName;
    private readonly string _database;

    public SqlTargetsTests()
    {
        _database = Path.Join(_folder, "orders.db");
        using var connection = new SqliteConnection($"Data Source={_database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL);
            INSERT INTO orders VALUES (1, 'alice', 12.5), (2, 'bob', 7), (3, 'carol', 99.99);
            """;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private ToolHost Host(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tools:Http:Enabled"] = "false",
            ["Tools:Sql:Enabled"] = "true",
            ["Tools:Sql:Connections:orders:ConnectionString"] = $"Data Source={_database}",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return ToolHost.Create(settings);
    }

    private static Task<ToolOutcome> RunAsync(ToolHost host, string sql) =>
        host.Tool("sql.query").InvokeAsync(ToolHost.Call(new { connection = "orders", sql }), default);

    [Theory]
    [InlineData("orders")]
    [InlineData("ORDERS")]
    public void Targets_of_a_named_connection_is_that_connection_as_configured(string connection)
    {
        using var host = Host();

        Assert.Equal(["sql:orders"], host.Tool("sql.query").Targets(ToolHost.Args(new { connection, sql = "SELECT 1" })));
    }

    [Fact]
    public void Targets_without_a_connection_is_the_only_connection()
    {
        using var host = Host();

        Assert.Equal(["sql:orders"], host.Tool("sql.query").Targets(ToolHost.Args(new { sql = "SELECT 1" })));
    }

    [Theory]
    [InlineData("""{"connection":"billing","sql":"SELECT 1"}""")]
    [InlineData("[]")]
    public void Targets_of_an_unknown_connection_are_empty(string json)
    {
        using var host = Host();

        Assert.Empty(host.Tool("sql.query").Targets(System.Text.Json.JsonDocument.Parse(json).RootElement));
    }

    [Fact]
    public void Descriptor_targets_are_the_configured_connections()
    {
        using var host = Host();

        Assert.Equal(["sql:orders"], host.Tool("sql.query").Descriptor.Targets);
    }

    [Theory]
    [InlineData("SELECT id FROM orders", 3)]
    [InlineData("SELECT id FROM orders WHERE total > 50", 1)]
    [InlineData("SELECT id FROM orders WHERE customer = 'nobody'", 0)]
    public async Task A_query_measures_the_rows_it_returned(string sql, long rows)
    {
        using var host = Host();

        var outcome = await RunAsync(host, sql);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(new ToolMeasures(Count: rows), outcome.Measures);
    }

    [Fact]
    public async Task A_query_cut_at_MaxRows_measures_the_rows_read()
    {
        using var host = Host(new Dictionary<string, string?> { ["Tools:Sql:MaxRows"] = "2" });

        var outcome = await RunAsync(host, "SELECT id FROM orders");

        Assert.Equal(2, outcome.Measures?.Count);
    }

    [Fact]
    public async Task A_failed_query_measures_nothing()
    {
        using var host = Host();

        var outcome = await RunAsync(host, "SELECT nope FROM missing_table");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Null(outcome.Measures);
    }
}
