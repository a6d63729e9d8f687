using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BotAgent.Storage.Sqlite;

/// <summary>Opens connections to the BotAgent SQLite file: one connection per operation, pooled by the provider.</summary>
public sealed class SqliteDatabase
{
    // WAL is a property of the file (set by the migrator); synchronous and foreign keys are per connection.
    private const string ConnectionPragmas = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

    static SqliteDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public SqliteDatabase(IOptions<StorageOptions> options)
    {
        var builder = new SqliteConnectionStringBuilder(options.Value.ConnectionString)
        {
            Pooling = true,
            // Seconds a writer waits for another writer's lock before failing (SQLite's busy timeout).
            DefaultTimeout = 30,
        };
        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    public string ConnectionString { get; }

    /// <summary>The database file's path (or <c>:memory:</c>).</summary>
    public string DataSource { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = ConnectionPragmas;
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
