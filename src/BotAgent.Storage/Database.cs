using System.Data.Common;
using Dapper;

namespace BotAgent.Storage;

/// <summary>
/// The store's database: opens connections (one per operation, pooled by the provider) and says where
/// the provider's SQL must differ. The repositories are the same for every provider.
/// </summary>
public abstract class Database
{
    /// <summary><c>Sqlite</c> or <c>Postgres</c>: also the folder of the provider's migration scripts.</summary>
    public abstract string Provider { get; }

    /// <summary>Appended to a SELECT that must lock the rows it reads until the transaction ends.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Appended to the SELECT of a claim, so concurrent claimers take different rows.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>
    /// True when only one instance can use the database (SQLite): at start, work another process left
    /// claimed is this instance's to resume at once, without waiting for leases to expire.
    /// </summary>
    public abstract bool IsSingleInstance { get; }

    /// <summary>A connection for reads. Writes go through <see cref="WriteAsync"/> or <see cref="WriteStatementAsync"/>.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs a unit of several statements as one atomic write and returns its result once it is committed.
    /// The unit gets the connection and the transaction to pass to every command; it must only talk to the
    /// database (it may share its transaction with other units, so it must not wait on anything else).
    /// </summary>
    public virtual async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> unit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await unit(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs one statement (atomic by itself; never several in one text, which would not be) and returns its
    /// result once it is committed. The transaction
    /// handed to <paramref name="statement"/> may be null (the statement commits alone).
    /// </summary>
    public virtual async Task<T> WriteStatementAsync<T>(Func<DbConnection, DbTransaction?, CancellationToken, Task<T>> statement, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await statement(connection, null, cancellationToken);
    }

    /// <summary>One write statement; returns how many rows it changed.</summary>
    public virtual Task<int> ExecuteWriteAsync(string sql, object? args, CancellationToken cancellationToken) =>
        WriteStatementAsync(
            (connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct)),
            cancellationToken);

    /// <summary>
    /// One insert whose caller does not wait for its commit (trace events). Where the store has one ordered
    /// writer (SQLite) it is queued and becomes durable with the next write queued after it, awaited or
    /// not: a state change awaited after recording an event is never committed without that event. Elsewhere
    /// (PostgreSQL: many connections, no one order) it is an ordinary awaited write.
    /// </summary>
    public virtual Task AppendAsync(string sql, object args, CancellationToken cancellationToken) =>
        ExecuteWriteAsync(sql, args, cancellationToken);

    /// <summary>Waits until every append queued so far is committed (a reader that must see its own events).</summary>
    public virtual Task FlushAppendsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One write statement with RETURNING; returns its rows.</summary>
    public Task<List<T>> QueryWriteAsync<T>(string sql, object? args, CancellationToken cancellationToken) =>
        WriteStatementAsync(
            async (connection, transaction, ct) => (await connection.QueryAsync<T>(new CommandDefinition(sql, args, transaction, cancellationToken: ct))).AsList(),
            cancellationToken);

    /// <summary>Runs before migrations (create the file's folder, switch on WAL, …).</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A top-level <paramref name="field"/> of the JSON text in <paramref name="column"/>, as text; NULL when absent.</summary>
    /// <remarks><paramref name="field"/> is a constant of ours, never outside input.</remarks>
    public abstract string JsonText(string column, string field);

    /// <summary>A top-level numeric <paramref name="field"/> of the JSON text in <paramref name="column"/>; NULL when absent or null.</summary>
    public abstract string JsonNumber(string column, string field);

    /// <summary>A condition that <paramref name="column"/> is one of the list parameter <paramref name="parameter"/>.</summary>
    /// <remarks>Dapper expands a list into <c>IN (…)</c> for SQLite but passes it to Npgsql as one array.</remarks>
    public virtual string InList(string column, string parameter) => $"{column} IN {parameter}";

    /// <summary>
    /// Taken (inside the claim's transaction) before claiming inbox items, where concurrent claimers must
    /// not split one conversation between them; null when the database already serialises writers.
    /// </summary>
    public virtual string? InboxClaimLock => null;

    /// <summary>Taken before migrating and released after, so concurrent starts migrate once.</summary>
    public virtual string? MigrationLock => null;

    public virtual string? MigrationUnlock => null;

    /// <summary>A description safe to log: no password.</summary>
    public abstract string Describe();
}
