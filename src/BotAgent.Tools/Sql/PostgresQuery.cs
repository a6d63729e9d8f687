using Npgsql;

namespace BotAgent.Tools.Sql;

/// <summary>
/// Runs one statement on PostgreSQL inside a read-only transaction with a statement timeout, then rolls back.
/// (Which functions it may call is checked before, by <see cref="SqlStatementPolicy"/>.)
/// The statement goes as a batch command, which Npgsql sends as written: PostgreSQL then refuses more than one
/// statement, so "COMMIT; DELETE …" cannot end the read-only transaction and write after it (a plain
/// NpgsqlCommand would split that text at the ';' and run both).
/// </summary>
internal static class PostgresQuery
{
    public const string ReadOnlyTransaction = "25006"; // read_only_sql_transaction
    public const string ReadWriteTooLate = "25001"; // active_sql_transaction: "read-write mode must be set before any query"
    public const string TransactionTermination = "2D000"; // invalid_transaction_termination (COMMIT inside DO or a procedure)
    public const string QueryCanceled = "57014"; // statement_timeout or a cancel
    public const string SyntaxError = "42601"; // also "cannot insert multiple commands into a prepared statement"

    // standard_conforming_strings on: a backslash in '…' is a plain character, as SqlLexer read it when it looked
    // for function calls (with it off, '\'' would end the string somewhere else for the server than for the check).
    private const string Setup = "SET TRANSACTION READ ONLY; "
        + "SELECT set_config('statement_timeout', @timeout, true), set_config('standard_conforming_strings', 'on', true)";

    public static async Task<SqlRows> RunAsync(string connectionString, string sql, TimeSpan timeout, int maxRows, int maxCellChars, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Disposing the transaction rolls it back: there is nothing to keep.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var setup = new NpgsqlCommand(Setup, connection, transaction))
        {
            setup.Parameters.AddWithValue("timeout", $"{(long)timeout.TotalMilliseconds}ms");
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { new NpgsqlBatchCommand(sql) } };
        // Sequential: a cell is read only as far as it is shown (SqlRows), so repeat('x', 500000000) is not buffered whole.
        await using var reader = await batch.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        return await SqlRows.ReadAsync(reader, maxRows, maxCellChars, sequential: true, cancellationToken);
    }
}
