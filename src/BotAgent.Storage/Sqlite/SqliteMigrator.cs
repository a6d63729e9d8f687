using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace BotAgent.Storage.Sqlite;

/// <summary>Applies the numbered migration scripts embedded in this assembly, once each, in order.</summary>
public sealed class SqliteMigrator(SqliteDatabase database, TimeProvider time, ILogger<SqliteMigrator> logger) : IStoreMigrator
{
    private const string ResourcePrefix = "BotAgent.Storage.Sqlite.Migrations.";

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        CreateDirectoryFor(database.DataSource);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);",
            cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM schema_migrations;", cancellationToken: cancellationToken)))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var (id, sql) in Scripts())
        {
            if (applied.Contains(id))
                continue;
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (id, applied_at) VALUES (@id, @at);",
                new { id, at = DbTime.ToText(time.GetUtcNow()) },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            logger.MigrationApplied(id, database.DataSource);
        }
    }

    public async Task<bool> IsCurrentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var applied = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM schema_migrations;", cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        return Scripts().All(s => applied.Contains(s.Id));
    }

    private static IEnumerable<(string Id, string Sql)> Scripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[ResourcePrefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }

    private static void CreateDirectoryFor(string dataSource)
    {
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:")
            return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
    }
}
