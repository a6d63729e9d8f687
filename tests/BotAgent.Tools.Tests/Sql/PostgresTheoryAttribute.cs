using BotAgent.Testing;

namespace BotAgent.Tools.Tests.Sql;

/// <summary>The theory form of <see cref="PostgresFactAttribute"/>: skipped, with instructions, unless a server is configured.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)))
            Skip = new PostgresFactAttribute().Skip;
    }
}
