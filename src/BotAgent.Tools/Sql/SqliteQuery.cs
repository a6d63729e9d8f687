using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BotAgent.Tools.Sql;

/// <summary>
/// Runs one statement on a SQLite file, read-only three ways: the file is opened read-only (<c>Mode=ReadOnly</c>
/// overrides whatever the connection string says), no other database may be attached, and a statement SQLite
/// itself reports as a write is refused before it runs.
/// </summary>
internal static class SqliteQuery
{
    public const int ReadOnlyError = 8; // SQLITE_READONLY
    public const int InterruptedError = 9; // SQLITE_INTERRUPT
    public const int BusyError = 5; // SQLITE_BUSY
    public const int LockedError = 6; // SQLITE_LOCKED
    public const int TooBigError = 18; // SQLITE_TOOBIG

    /// <summary>The longest string or blob a statement may build or read (SQLite's own default is 1 GB).</summary>
    public const int MaxValueBytes = 16 * 1024 * 1024;

    public static string ReadOnly(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly }.ConnectionString;

    public static async Task<SqlRows> RunAsync(string connectionString, string sql, int maxRows, int maxCellChars, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ReadOnly(connectionString));
        await connection.OpenAsync(cancellationToken);
        // ATTACH would let a statement read any SQLite file the bot can (its own store included), and VACUUM INTO,
        // which writes a copy of the database wherever it says even on a read-only connection, attaches its target.
        raw.sqlite3_limit(connection.Handle, raw.SQLITE_LIMIT_ATTACHED, 0);
        // SQLite builds every value in this process: zeroblob(1e9) or a long repeat would take the bot's memory.
        raw.sqlite3_limit(connection.Handle, raw.SQLITE_LIMIT_LENGTH, MaxValueBytes);
        if (Inspect(connection, sql) is { } refusal)
            throw new SqlRefusedException(refusal);

        // Microsoft.Data.Sqlite checks the token only between steps; a long step (a runaway recursive CTE) stops
        // only when interrupted.
        await using var interrupt = cancellationToken.Register(() => raw.sqlite3_interrupt(connection.Handle));
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SqlRows.ReadAsync(reader, maxRows, maxCellChars, sequential: false, cancellationToken);
    }

    // Microsoft.Data.Sqlite would run every statement in the text; one per step, as on PostgreSQL.
    private static string? Inspect(SqliteConnection connection, string sql)
    {
        if (raw.sqlite3_prepare_v2(connection.Handle, sql, out var first, out string tail) != raw.SQLITE_OK)
        {
            first?.Dispose();
            return null; // running it reports SQLite's own message
        }
        using (first)
        {
            if (first is { IsInvalid: false } && raw.sqlite3_stmt_readonly(first) == 0)
                return "sql.query is read-only and the statement would write (SQLite says so before running it)";
        }
        if (string.IsNullOrWhiteSpace(tail))
            return null;
        var rc = raw.sqlite3_prepare_v2(connection.Handle, tail, out var second, out string _);
        using (second)
            return rc != raw.SQLITE_OK || second is { IsInvalid: false } ? SqlQueryTool.OneStatement : null;
    }
}
