using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Storage;

/// <summary>
/// Deletes finished runs and their traces, and the Direct Line conversation log, after <c>Storage:RetentionDays</c>
/// (0: keep everything).
/// </summary>
public sealed class TraceRetentionService(RunStore runs, TimeProvider time, IOptions<StorageOptions> options, ILogger<TraceRetentionService> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetentionDays <= 0)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var deleted = await runs.DeleteFinishedBeforeAsync(time.GetUtcNow().AddDays(-options.Value.RetentionDays), stoppingToken);
                if (deleted > 0)
                    logger.RetentionDeleted(deleted, options.Value.RetentionDays);
                await Task.Delay(Every, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.RetentionFailed(ex);
                await Task.Delay(Every, time, stoppingToken);
            }
        }
    }
}
