using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace BotAgent.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file beside the writer instead of inside it. SQLite's own
/// automatic checkpoint runs in the commit that crosses its threshold, on the writer's connection: copying a
/// thousand pages and syncing the file (the only sync at <c>synchronous = NORMAL</c>) held up every write queued
/// behind it. A PASSIVE checkpoint on another connection takes no writer lock: writes go on meanwhile.
/// </summary>
/// <remarks>The writer keeps a far higher automatic threshold as a fallback, should this fall behind or fail.</remarks>
internal sealed class SqliteCheckpointer(Func<CancellationToken, Task<SqliteConnection>> open, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();
    private Task? _loop;
    private int _written;
    private int _disposed;

    /// <summary>The writer committed: there is something to copy back at the next tick.</summary>
    public void Written()
    {
        Volatile.Write(ref _written, 1);
        if (_loop is not null)
            return;
        lock (_startLock)
            _loop ??= Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Every);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (Interlocked.Exchange(ref _written, 0) == 0)
                    continue;
                try
                {
                    await using var connection = await open(_stop.Token);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    await command.ExecuteNonQueryAsync(_stop.Token);
                    if (failing)
                        logger.CheckpointRecovered();
                    failing = false;
                }
                catch (Exception error) when (!_stop.IsCancellationRequested)
                {
                    // Tried again at the next tick; meanwhile the writer's fallback threshold bounds the log. Logged once
                    // per streak: a full disk would otherwise say so twice a second.
                    if (!failing)
                        logger.CheckpointFailed(error);
                    failing = true;
                    Volatile.Write(ref _written, 1);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    // Disposed once: the container disposes the database under both of its registrations.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stop.CancelAsync();
        Task? loop;
        lock (_startLock)
            loop = _loop;
        if (loop is not null)
            await loop;
        _stop.Dispose();
    }
}
