using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace BotAgent.Storage;

/// <summary>
/// What the store needs before the bot serves: migrations, then recovery of what a previous process left. Both are
/// tried again while the database is briefly unavailable (a PostgreSQL restart, a server not yet accepting
/// connections), for up to <see cref="RetryFor"/>, so an instance started during a database restart waits instead of
/// exiting on the first refused connection. Any other error ends the start at once.
/// </summary>
public sealed class StoreStartup(IStoreMigrator migrator, StoreRecovery recovery, TimeProvider time, ILogger<StoreStartup> logger)
{
    public static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + RetryFor;
        var pause = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken);
                await recovery.RecoverAsync(cancellationToken);
                return;
            }
            catch (DbException e) when (IsUnavailable(e) && time.GetUtcNow() + pause < deadline)
            {
                logger.StoreUnavailableAtStart(attempt, e.Message);
                await Task.Delay(pause, time, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }
    }

    /// <summary>
    /// The database cannot be reached right now, as opposed to refusing what was asked: the provider's own transient
    /// flag, a connection exception (SQLSTATE class 08) or an operator intervention such as a shutdown (57P).
    /// </summary>
    public static bool IsUnavailable(DbException exception) =>
        exception.IsTransient
        || exception.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal));
}
