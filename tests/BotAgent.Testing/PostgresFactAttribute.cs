using Xunit;

namespace BotAgent.Testing;

/// <summary>
/// A test that needs a real PostgreSQL server. Skipped, with instructions, unless
/// <c>BOTAGENT_TEST_POSTGRES</c> holds a connection string (<c>.ci/run</c> starts a throwaway cluster).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "BOTAGENT_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"PostgreSQL tests need a server: run `eval \"$(bash .ci/postgres)\"` (starts a throwaway cluster and sets {Variable}), then `dotnet test`.";
    }
}
