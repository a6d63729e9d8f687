using BotAgent.Testing;
using Npgsql;

namespace BotAgent.Storage.Tests;

/// <summary>The test PostgreSQL server named by <c>BOTAGENT_TEST_POSTGRES</c>, where each test gets its own database.</summary>
internal static class PostgresServer
{
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Null when a server is configured.</summary>
    public static string? SkipReason => ConnectionString is null
        ? $"PostgreSQL tests need a server: run `eval \"$(bash .ci/postgres)\"` (starts a throwaway cluster and sets {PostgresFactAttribute.Variable}), then `dotnet test`."
        : null;

    /// <summary>Creates <c>botagent_test_&lt;guid&gt;</c>; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = await OpenServerAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Server()) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the database even if a connection is still open on it.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        await using var connection = await OpenServerAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public static string NewDatabaseName() => "botagent_test_" + Guid.NewGuid().ToString("N");

    private static string Server() => ConnectionString ?? throw new InvalidOperationException(SkipReason);

    // Unpooled: these connections must not linger in a pool after the database they served is dropped.
    private static async Task<NpgsqlConnection> OpenServerAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server()) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
