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
internal sealed class SqliteAppend(string sql, Type argsType, SqliteParameterBinder binder, object args, Action<Exception?> done)
    : SqliteWrite(atomic: false, CancellationToken.None)
{
    public override Task RunAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteStatementCache statements, CancellationToken cancellationToken)
    {
        var command = statements.Get(sql, argsType, transaction);
        binder.Bind(command, args);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public override void Committed() => done(null);

    public override void Failed(Exception error) => done(error);

    public override void Dropped() => done(null);
}
