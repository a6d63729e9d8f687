using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BotAgent.Storage.Sqlite;

/// <summary>The default store: one SQLite file in WAL mode, used by one instance.</summary>
public sealed class SqliteDatabase : Database, IAsyncDisposable
{
    // WAL is a property of the file (set in PrepareAsync); the rest is per connection. busy_timeout lets
    // SQLite wait for another process's lock in its own busy handler (a few ms), where
    // Microsoft.Data.Sqlite's retry would sleep 150 ms per conflict.
    private const string ConnectionPragmas = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";

    // The writer's cache outlives its transactions (nobody else writes), so a larger one keeps the
    // indexes it inserts into (inbox de-duplication keys, conversations, runs) in memory: 64 MB at most.
    // Its automatic checkpoint is only the fallback (at 64 MB of log): SqliteCheckpointer does it beside it. After a
    // spike the log file is cut back to 64 MB when it restarts, not kept at its largest.
    private const string WriterPragmas = "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864;";

    // Appends queued and not yet committed, at most: past it a caller waits for its own commit, so a flood
    // of events slows its producer instead of growing the queue (and what a crash could lose) without end.
    internal const int MaxAppendsPending = 8192;

    private readonly SqliteWriter _writer;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly string _writerConnectionString;
    private readonly ILogger _logger;
    private readonly Action<Exception?> _appended;
    private int _appendsPending;

    static SqliteDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public SqliteDatabase(IOptions<StorageOptions> options, ILogger<SqliteDatabase>? logger = null)
    {
        _logger = logger ?? NullLogger<SqliteDatabase>.Instance;
        _appended = Appended;
        var builder = new SqliteConnectionStringBuilder(options.Value.ConnectionString)
        {
            Pooling = true,
            // Seconds a writer waits for another writer's lock before failing (SQLite's busy timeout).
            DefaultTimeout = 30,
        };
        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
        // The writer's connection is its own, never pooled: when it is dropped after a failure it is closed,
        // not handed (with its large cache) to a reader, and the next one is new.
        _writerConnectionString = new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString();
        _checkpointer = new SqliteCheckpointer(ct => OpenSqliteAsync(ConnectionString, ct), _logger);
        _writer = new SqliteWriter(OpenWriterAsync, _checkpointer.Written);
    }

    public string ConnectionString { get; }

    /// <summary>The database file's path (or <c>:memory:</c>).</summary>
    public string DataSource { get; }

    public override string Provider => "Sqlite";

    // SQLite has one writer at a time, and write transactions begin IMMEDIATE: they are already exclusive.
    public override string ForUpdate => "";

    public override string ForUpdateSkipLocked => "";

    public override bool IsSingleInstance => true;

    public override string JsonText(string column, string field) => $"json_extract({column}, '$.{field}')";

    public override string JsonNumber(string column, string field) => $"json_extract({column}, '$.{field}')";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await OpenSqliteAsync(ConnectionString, cancellationToken);

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> unit, CancellationToken cancellationToken) =>
        _writer.WriteAsync(new SqliteWrite<T>(unit, atomic: true, cancellationToken));

    // Inside the writer's transaction a failing statement undoes only itself: no savepoint is needed.
    public override Task<T> WriteStatementAsync<T>(Func<DbConnection, DbTransaction?, CancellationToken, Task<T>> statement, CancellationToken cancellationToken) =>
        _writer.WriteAsync(new SqliteWrite<T>(statement, atomic: false, cancellationToken));

    // The hot single statements (trace events, inbox and outbox rows) run as prepared statements that the
    // writer keeps, bound without Dapper; anything with a list to expand takes Dapper's way.
    public override Task<int> ExecuteWriteAsync(string sql, object? args, CancellationToken cancellationToken)
    {
        if (args?.GetType() is not { } type || SqliteParameterBinder.For(type) is not { } binder)
            return base.ExecuteWriteAsync(sql, args, cancellationToken);
        return _writer.WriteAsync(new SqliteWrite<int>((_, transaction, statements, _) =>
            Task.FromResult(statements.Execute(sql, args, binder, transaction)), atomic: false, cancellationToken));
    }

    public override Task AppendAsync(string sql, object args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var type = args.GetType();
        if (SqliteParameterBinder.For(type) is not { } binder || Volatile.Read(ref _appendsPending) >= MaxAppendsPending)
            return ExecuteWriteAsync(sql, args, cancellationToken); // queued behind the pending appends: waiting for it waits for them
        Interlocked.Increment(ref _appendsPending);
        try
        {
            _writer.Append(new SqliteAppend(sql, binder, args, _appended));
        }
        catch
        {
            Interlocked.Decrement(ref _appendsPending);
            throw;
        }
        return Task.CompletedTask;
    }

    // An empty write queued behind them: the writer's order commits them first.
    public override Task FlushAppendsAsync(CancellationToken cancellationToken) =>
        AppendsPending == 0 ? Task.CompletedTask : _writer.WriteAsync(new SqliteWrite<int>((_, _, _, _) => Task.FromResult(0), atomic: false, cancellationToken));

    /// <summary>Appends queued and not yet committed (what a crash now could lose).</summary>
    internal int AppendsPending => Volatile.Read(ref _appendsPending);

    private void Appended(Exception? error)
    {
        Interlocked.Decrement(ref _appendsPending);
        if (error is not null)
            _logger.AppendFailed(error);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _checkpointer.DisposeAsync();
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenSqliteAsync(_writerConnectionString, cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = WriterPragmas;
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static async Task<SqliteConnection> OpenSqliteAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
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

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(DataSource) && DataSource != ":memory:")
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(DataSource));
            if (!string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);
        }
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));
    }

    public override string Describe() => DataSource;

    /// <summary>
    /// Writes a consistent copy of the database while the bot keeps running (<c>VACUUM INTO</c> reads
    /// one snapshot; writers are not blocked in WAL mode).
    /// </summary>
    public async Task BackupAsync(string destination, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(destination);
        if (File.Exists(full))
            throw new IOException($"'{full}' already exists; choose a new file for the backup.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("VACUUM INTO @full;", new { full }, cancellationToken: cancellationToken));
    }
}
