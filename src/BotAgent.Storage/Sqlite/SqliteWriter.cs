using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace BotAgent.Storage.Sqlite;

/// <summary>
/// The only writer of the SQLite file, with group commit: the writes that are waiting when it comes round
/// go into one transaction, and each caller is answered once that transaction has committed.
/// </summary>
/// <remarks>
/// SQLite allows one writer at a time. Writers on separate connections meet that limit as lock conflicts,
/// each waiting in a busy handler, and every write is its own commit (a WAL append of every page it
/// touched). Queueing them to one connection turns the waiting into batching: while one transaction
/// commits, the next one fills up. Reads do not come here; WAL lets them run beside the writer.
/// </remarks>
internal sealed class SqliteWriter(Func<CancellationToken, Task<SqliteConnection>> open, Action? committed = null) : IAsyncDisposable
{
    // Bounds how long the first caller in a batch waits for the last one's statement.
    private const int MaxBatch = 256;

    private readonly Channel<SqliteWrite> _queue = Channel.CreateUnbounded<SqliteWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _loop;
    private SqliteConnection? _connection;
    private SqliteStatementCache? _statements;

    public Task<T> WriteAsync<T>(SqliteWrite<T> write)
    {
        Append(write);
        return write.Task;
    }

    /// <summary>Queues a write; one nobody waits for (<see cref="SqliteAppend"/>) commits with the batch it lands in.</summary>
    public void Append(SqliteWrite write)
    {
        EnsureStarted();
        if (!_queue.Writer.TryWrite(write))
            throw new ObjectDisposedException(nameof(SqliteWriter), "The store is shutting down: the write was not made.");
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_startLock)
            loop = _loop;
        if (loop is not null)
            await loop; // finishes what is queued, then ends: nothing accepted is dropped
        await DropConnectionAsync();
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
            return;
        lock (_startLock)
            _loop ??= Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var batch = new List<SqliteWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                if (write.CallerToken.IsCancellationRequested)
                    write.Dropped();
                else
                    batch.Add(write);
            }
            if (batch.Count > 0)
                await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<SqliteWrite> batch)
    {
        // Accepted writes are finished, not abandoned, when the host stops: no token reaches them.
        var done = new List<SqliteWrite>(batch.Count);
        try
        {
            if (_connection is null)
            {
                _connection = await open(CancellationToken.None);
                _statements = new SqliteStatementCache(_connection);
            }
            var connection = _connection;
            using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var write in batch)
            {
                if (await RunOneAsync(connection, transaction, _statements!, write))
                    done.Add(write);
            }
            transaction.Commit();
        }
        catch (Exception error)
        {
            // Nothing of this transaction was written: the writes that had succeeded in it fail too.
            // A fresh connection for the next batch, in case this one is what broke.
            foreach (var write in batch)
                write.Failed(error);
            await DropConnectionAsync();
            return;
        }
        committed?.Invoke();
        foreach (var write in done)
            write.Committed();
    }

    /// <returns>False when the write failed alone (its changes undone, its caller told); throws when the
    /// failure took the whole transaction with it.</returns>
    private static async Task<bool> RunOneAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteStatementCache statements, SqliteWrite write)
    {
        if (write.Atomic)
            transaction.Save("unit");
        try
        {
            await write.RunAsync(connection, transaction, statements, CancellationToken.None);
            if (write.Atomic)
                transaction.Release("unit");
            return true;
        }
        catch (Exception error) when (!TransactionLost(connection))
        {
            // A single statement that fails leaves no change behind (SQLite undoes the statement);
            // a unit of several is rolled back to its savepoint.
            if (write.Atomic)
            {
                transaction.Rollback("unit");
                transaction.Release("unit");
            }
            write.Failed(error);
            return false;
        }
    }

    // After an I/O error, a full disk or an interrupt SQLite may roll back the whole transaction.
    private static bool TransactionLost(SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;

    private async Task DropConnectionAsync()
    {
        _statements?.Dispose();
        _statements = null;
        if (_connection is null)
            return;
        try
        {
            await _connection.DisposeAsync(); // rolls back what is still open
        }
        catch (SqliteException)
        {
            // The rollback of a transaction SQLite had already ended: nothing is left to undo.
        }
        _connection = null;
    }
}
