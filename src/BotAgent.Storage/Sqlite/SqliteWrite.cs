using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BotAgent.Storage.Sqlite;

/// <summary>One caller's write waiting for the <see cref="SqliteWriter"/>: it runs inside a shared transaction and
/// completes only once that transaction has committed.</summary>
internal abstract class SqliteWrite(bool atomic, CancellationToken callerToken)
{
    /// <summary>Several statements: they run under a savepoint so a failure undoes only this write.</summary>
    public bool Atomic { get; } = atomic;

    /// <summary>A write whose caller gave up before it started is dropped, not run.</summary>
    public CancellationToken CallerToken { get; } = callerToken;

    public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteStatementCache statements, CancellationToken cancellationToken);

    /// <summary>Hands the result to the caller: the transaction holding this write has committed.</summary>
    public abstract void Committed();

    public abstract void Failed(Exception error);

    public abstract void Dropped();
}

internal sealed class SqliteWrite<T>(
    Func<SqliteConnection, SqliteTransaction, SqliteStatementCache, CancellationToken, Task<T>> work, bool atomic, CancellationToken callerToken)
    : SqliteWrite(atomic, callerToken)
{
    public SqliteWrite(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, bool atomic, CancellationToken callerToken)
        : this((connection, transaction, _, ct) => work(connection, transaction, ct), atomic, callerToken)
    {
    }

    // Continuations run elsewhere: the caller's code must never run on, and hold up, the writer.
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _done.Task;

    public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteStatementCache statements, CancellationToken cancellationToken) =>
        _result = await work(connection, transaction, statements, cancellationToken);

    public override void Committed() => _done.TrySetResult(_result!);

    public override void Failed(Exception error) => _done.TrySetException(error);

    public override void Dropped() => _done.TrySetCanceled(CallerToken);
}
