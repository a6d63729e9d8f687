using System.Data.Common;

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

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs before migrations (create the file's folder, switch on WAL, …).</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
