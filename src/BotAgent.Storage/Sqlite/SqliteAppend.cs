using Microsoft.Data.Sqlite;

namespace BotAgent.Storage.Sqlite;

/// <summary>
/// A one-statement write nobody waits for (a trace event): it joins the writer's queue like any other
/// write, so it commits with the transaction it lands in, no later than the next write queued after it.
/// </summary>
/// <remarks>
/// No task per write: at tens of thousands of trace events a second the allocation and the continuation
/// were a good part of the cost. The owner learns the outcome through <paramref name="done"/>.
/// </remarks>
internal sealed class SqliteAppend(string sql, SqliteParameterBinder binder, object args, Action<Exception?> done)
    : SqliteWrite(atomic: false, CancellationToken.None)
{
    // The writer may report a write twice: failed alone, then failed again with the transaction it was in.
    private int _reported;

    public override Task RunAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteStatementCache statements, CancellationToken cancellationToken)
    {
        statements.Execute(sql, args, binder, transaction);
        return Task.CompletedTask;
    }

    public override void Committed() => Report(null);

    public override void Failed(Exception error) => Report(error);

    // Not reached today (an append carries no caller token, and the writer drops only cancelled writes); if it were,
    // the event is lost and says so rather than passing for written.
    public override void Dropped() => Report(new OperationCanceledException("The trace event was dropped before it was written."));

    private void Report(Exception? error)
    {
        if (Interlocked.Exchange(ref _reported, 1) == 0)
            done(error);
    }
}
