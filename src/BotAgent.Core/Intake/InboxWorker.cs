using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BotAgent.Core.Intake;

/// <summary>
/// Drains the durable inbox: every accepted payload is handed to its adapter's handler in the
/// background, so the HTTP request that brought it is answered at once.
/// </summary>
public sealed class InboxWorker(
    IInbox inbox,
    IEnumerable<IInboundHandler> handlers,
    WorkSignals signals,
    BotInstance instance,
    TimeProvider time,
    ILogger<InboxWorker> logger) : BackgroundService
{
    private const int BatchSize = 32;

    // A store hiccup or a failover while handling an item is retried; a payload that fails this often is broken.
    private const int MaxAttempts = 3;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    // Long enough for planning with a slow model; an item held longer by a dead instance is taken over.
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, IInboundHandler> _handlers = handlers.ToDictionary(h => h.Adapter, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                var batch = await inbox.ClaimAsync(instance.Id, BatchSize, now, now + Lease, stoppingToken);
                if (batch.Count > 0)
                {
                    // Items of one conversation keep their order; different conversations proceed in parallel.
                    await Parallel.ForEachAsync(
                        batch.GroupBy(i => i.OrderingKey),
                        new ParallelOptions { CancellationToken = stoppingToken, MaxDegreeOfParallelism = 8 },
                        async (group, ct) =>
                        {
                            foreach (var item in group)
                                await HandleAsync(item, ct);
                        });
                    continue;
                }
                await signals.Inbox.WaitAsync(IdlePoll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.InboxLoopFailed(ex);
                await Task.Delay(IdlePoll, time, stoppingToken);
            }
        }
    }

    private async Task HandleAsync(InboundItem item, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["InboundItem"] = item.Id, ["ConversationId"] = item.OrderingKey });
        // Ordering keys are "{adapter}:{channel}:{conversation id}"; the id itself may contain ':'.
        var conversationId = item.OrderingKey.Split(':', 3) is [_, _, var id] ? id : item.OrderingKey;
        using var span = Telemetry.Start("botagent.inbound.process", null, conversationId, System.Diagnostics.ActivityKind.Consumer);
        try
        {
            if (!_handlers.TryGetValue(item.Adapter, out var handler))
            {
                await inbox.FailAsync(item.Id, $"no handler for adapter '{item.Adapter}'", cancellationToken);
                return;
            }
            await handler.HandleAsync(item, cancellationToken);
            await inbox.CompleteAsync(item.Id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.InboundFailed(item.Id, item.Adapter, ex);
            var error = ex.GetType().Name + ": " + ex.Message;
            if (item.Attempts < MaxAttempts)
                await inbox.RetryAsync(item.Id, error, cancellationToken);
            else
                await inbox.FailAsync(item.Id, error, cancellationToken);
        }
    }
}
