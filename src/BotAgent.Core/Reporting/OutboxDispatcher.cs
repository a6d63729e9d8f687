using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Reporting;

/// <summary>
/// Delivers outbox messages through the channel adapters, in order per conversation: claims the head of each
/// conversation's queue, hands each message to <see cref="OutboxDelivery"/>, and takes back messages another instance
/// was sending when it died.
/// </summary>
internal sealed class OutboxDispatcher(
    IOutbox outbox,
    OutboxDelivery delivery,
    WorkSignals signals,
    BotInstance instance,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoverEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inFlight = new InFlightWork(options.Value.Concurrency, signals.Outbox);
        try
        {
            await DispatchAsync(inFlight, stoppingToken);
        }
        finally
        {
            await inFlight.DrainAsync();
        }
    }

    private async Task DispatchAsync(InFlightWork inFlight, CancellationToken stoppingToken)
    {
        var nextRecovery = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                if (now >= nextRecovery)
                {
                    // Messages another instance was sending when it died.
                    await outbox.RecoverAsync(now, all: false, stoppingToken);
                    nextRecovery = now + RecoverEvery;
                }
                // Claims only the head of each conversation's queue: a message in flight holds back the next one of its
                // conversation, and its delivery wakes this loop to claim that one.
                var room = inFlight.Room;
                if (room > 0)
                {
                    var batch = await outbox.ClaimDueAsync(instance.Id, room, now, now + options.Value.Lease, stoppingToken);
                    foreach (var item in batch)
                        inFlight.Start(() => delivery.DeliverAsync(item, stoppingToken));
                    if (batch.Count == room)
                        continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.OutboxLoopFailed(ex);
            }

            try
            {
                await signals.Outbox.WaitAsync(delivery.UntilNextDue(IdlePoll), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
