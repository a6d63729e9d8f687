using Microsoft.Data.Sqlite;

namespace BotAgent.Storage.Sqlite;

/// <summary>
/// The writer's prepared statements, one command per SQL text, kept for the life of its connection: a
/// statement the writer runs thousands of times a second is parsed and planned once, then only re-bound.
/// </summary>
internal sealed class SqliteStatementCache(SqliteConnection connection) : IDisposable
{
    // Keyed by the argument type too: a command's parameters are laid out for one type's properties.
    private readonly Dictionary<(string Sql, Type Args), SqliteCommand> _commands = [];

    public SqliteCommand Get(string sql, Type args, SqliteTransaction transaction)
    {
        if (!_commands.TryGetValue((sql, args), out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[(sql, args)] = command;
        }
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs <paramref name="sql"/> as a kept statement, its parameters bound from <paramref name="args"/>.</summary>
    public int Execute(string sql, object args, SqliteParameterBinder binder, SqliteTransaction transaction)
    {
        var command = Get(sql, args.GetType(), transaction);
        binder.Bind(command, args);
        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
    }
}
