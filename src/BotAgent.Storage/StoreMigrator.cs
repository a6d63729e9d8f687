using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace BotAgent.Storage;

/// <summary>Applies the provider's numbered migration scripts embedded in this assembly, once each, in order.</summary>
public sealed class StoreMigrator(Database database, TimeProvider time, ILogger<StoreMigrator> logger) : IStoreMigrator
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await database.PrepareAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.MigrationLock is { } takeLock)
            await connection.ExecuteAsync(new CommandDefinition(takeLock, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);",
                cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM schema_migrations;", cancellationToken: cancellationToken)))
                .ToHashSet(StringComparer.Ordinal);

            foreach (var (id, sql) in Scripts(database.Provider))
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
                logger.MigrationApplied(id, database.Describe());
            }
        }
        finally
        {
            if (database.MigrationUnlock is { } releaseLock)
                await connection.ExecuteAsync(new CommandDefinition(releaseLock, cancellationToken: CancellationToken.None));
        }
    }

    public async Task<bool> IsCurrentAsync(CancellationToken cancellationToken)
    {
        IEnumerable<string> ids;
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            ids = await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM schema_migrations;", cancellationToken: cancellationToken));
        }
        catch (System.Data.Common.DbException)
        {
            return false; // never migrated: the table does not exist
        }
        var applied = ids.ToHashSet(StringComparer.Ordinal);
        return Scripts(database.Provider).All(s => applied.Contains(s.Id));
    }

    private static IEnumerable<(string Id, string Sql)> Scripts(string provider)
    {
        var prefix = $"BotAgent.Storage.{provider}.Migrations.";
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }
}
