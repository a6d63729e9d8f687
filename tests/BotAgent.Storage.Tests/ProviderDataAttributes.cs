using System.Reflection;
using Xunit.Sdk;

namespace BotAgent.Storage.Tests;

/// <summary>
/// A row of a store theory on SQLite: <c>[Theory, OnSqlite, OnPostgres]</c> runs the test on both providers.
/// Extra values follow the provider: <c>[OnSqlite("failed")]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnSqliteAttribute(params object[] values) : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreProvider.Sqlite, .. values]];
}

/// <summary>
/// A row of a run-port contract theory on the in-memory fake the Core tests use: <c>[Theory, OnInMemory, OnSqlite, OnPostgres]</c>
/// holds the fake to what the databases do.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnInMemoryAttribute(params object[] values) : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreProvider.InMemory, .. values]];
}

/// <summary>
/// A row of a store theory on PostgreSQL, skipped with instructions unless <c>BOTAGENT_TEST_POSTGRES</c> names a server.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnPostgresAttribute : DataAttribute
{
    private readonly object[] _values;

    public OnPostgresAttribute(params object[] values)
    {
        _values = values;
        Skip = PostgresServer.SkipReason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreProvider.Postgres, .. _values]];
}
