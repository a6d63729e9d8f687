using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotAgent.Storage.Postgres;

/// <summary>PostgreSQL, for several instances sharing one database.</summary>
public sealed class PostgresDatabase : Database, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    static PostgresDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public PostgresDatabase(IOptions<StorageOptions> options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        _dataSource = NpgsqlDataSource.Create(builder);
        Target = $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private string Target { get; }

    public override string Provider => "Postgres";

    public override string ForUpdate => " FOR UPDATE";

    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    // SKIP LOCKED alone lets a second claimer, whose snapshot still shows a conversation's first item as
    // pending, take the second one: one transaction-scoped lock serialises inbox claims instead.
    public override string? InboxClaimLock => "SELECT pg_advisory_xact_lock(727275);";

    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public override bool IsSingleInstance => false;

    // The columns are text (the SQL is shared with SQLite), hence the cast; ->> gives NULL for a missing field and a JSON null.
    public override string JsonText(string column, string field) => $"({column}::jsonb ->> '{field}')";

    public override string JsonNumber(string column, string field) => $"CAST({column}::jsonb ->> '{field}' AS NUMERIC)";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    // Several instances may start at once: one migrates while the others wait on this session lock.
    public override string MigrationLock => "SELECT pg_advisory_lock(727274);";

    public override string MigrationUnlock => "SELECT pg_advisory_unlock(727274);";

    public override string Describe() => Target;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
