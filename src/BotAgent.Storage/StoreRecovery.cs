using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using Microsoft.Extensions.Logging;

namespace BotAgent.Storage;

/// <summary>
/// At start, on a database only one instance uses (SQLite): whatever a previous process had claimed
/// (runs, inbox items, messages being sent) belonged to a process that is gone, so it is resumed now
/// rather than after its lease expires. Several instances (PostgreSQL) rely on lease expiry instead.
/// </summary>
public sealed class StoreRecovery(Database database, IRunLeases runs, IInbox inbox, IOutbox outbox, TimeProvider time, ILogger<StoreRecovery> logger)
{
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (!database.IsSingleInstance)
            return;
        var now = time.GetUtcNow();
        var resumedRuns = await runs.ReleaseAllLeasesAsync(now, cancellationToken);
        var resumedItems = await inbox.ReleaseAllAsync(now, cancellationToken);
        var orphanedMessages = await outbox.RecoverAsync(now, all: true, cancellationToken);
        if (resumedRuns + resumedItems + orphanedMessages > 0)
            logger.Recovered(resumedRuns, resumedItems, orphanedMessages);
    }
}
