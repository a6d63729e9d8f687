using System.Collections.Concurrent;
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
    // Conversations handled at once: planning is mostly waiting (the store, a model), so more than the cores.
    private const int Concurrency = 32;

    // A store hiccup or a failover while handling an item is retried; a payload that fails this often is broken.
    private const int MaxAttempts = 3;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    // Short and renewed while held: planning with a slow model keeps its items, and the items a dead instance held
    // (with the rest of their conversations queued behind them) are taken over within this, not minutes later.
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RenewEvery = Lease / 3;
    // Items handled at once during a burst of arrivals (IntakeBurst), and how often the loop looks again meanwhile:
    // the requests that bring them get the cores, and the backlog is caught up when the burst ends.
    private const int TrickleConcurrency = 2;
    private static readonly TimeSpan TrickleEvery = TimeSpan.FromMilliseconds(10);
    private readonly IntakeBurst _burst = IntakeBurst.Default();
    private DateTimeOffset? _behindSince;
    private readonly Dictionary<string, IInboundHandler> _handlers = handlers.ToDictionary(h => h.Adapter, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, byte> _held = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inFlight = new InFlightWork(Concurrency, signals.Inbox);
        using var stopRenewing = new CancellationTokenSource();
        var renewing = RenewLeasesAsync(stopRenewing.Token);
        try
        {
            await DrainInboxAsync(inFlight, stoppingToken);
        }
        finally
        {
            await inFlight.DrainAsync();
            await stopRenewing.CancelAsync();
            await renewing;
        }
    }

    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RenewEvery, time, cancellationToken);
                if (!_held.IsEmpty)
                    await inbox.RenewAsync(instance.Id, [.. _held.Keys], time.GetUtcNow() + Lease, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Not renewed this time: the next try may be; meanwhile the lease still runs.
                logger.InboxLoopFailed(ex);
            }
        }
    }

    private async Task DrainInboxAsync(InFlightWork inFlight, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                var holding = _burst.Holding(signals.Inbox.Sets, now, _behindSince);
                var room = holding ? Math.Max(0, TrickleConcurrency - (Concurrency - inFlight.Room)) : inFlight.Room;
                if (room > 0)
                {
                    var batch = await inbox.ClaimAsync(instance.Id, room, now, now + Lease, stoppingToken);
                    // Claimed in order of arrival: the first is the oldest claimable item, and if the batch was full more wait behind it.
                    _behindSince = batch.Count == room ? batch[0].ReceivedAt : null;
                    foreach (var item in batch)
                        _held[item.Id] = 0;
                    // Items of one conversation keep their order; different conversations proceed in parallel.
                    // A conversation with an item in flight is not claimed from again until that item is done.
                    foreach (var group in batch.GroupBy(i => i.OrderingKey))
                    {
                        inFlight.Start(() => HandleInOrderAsync(group, stoppingToken));
                    }
                    if (batch.Count == room && !holding)
                        continue;
                }
                // In a burst every arrival sets the signal: waiting on it would not wait at all.
                if (holding)
                    await Task.Delay(TrickleEvery, time, stoppingToken);
                else
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

    private async Task HandleInOrderAsync(IEnumerable<InboundItem> items, CancellationToken cancellationToken)
    {
        try
        {
            var queue = new Queue<InboundItem>(items);
            while (queue.TryDequeue(out var item))
            {
                var handled = await HandleAsync(item, cancellationToken);
                _held.TryRemove(item.Id, out _);
                if (handled)
                    continue;
                // The item goes back to be tried again: the conversation's later items go back with it, so
                // none of them is handled before it, nor beside it by another claimer.
                while (queue.TryDequeue(out var later))
                {
                    await inbox.ReleaseAsync(later.Id, instance.Id, cancellationToken);
                    _held.TryRemove(later.Id, out _);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store failed while recording a failure: the items' leases expire and they are claimed again.
            logger.InboxLoopFailed(ex);
        }
        finally
        {
            // Whatever this group still held is no longer renewed: its leases run out and the items are claimed again.
            foreach (var item in items)
                _held.TryRemove(item.Id, out _);
        }
    }

    /// <returns>False when the item was put back to be tried again.</returns>
    private async Task<bool> HandleAsync(InboundItem item, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["InboundItem"] = item.Id, ["ConversationId"] = item.OrderingKey });
        // Ordering keys are "{adapter}:{channel}:{conversation id}"; the id itself may contain ':'.
        var conversationId = ConversationKey.ConversationIdOf(item.OrderingKey);
        using var span = Telemetry.Start("botagent.inbound.process", null, conversationId, System.Diagnostics.ActivityKind.Consumer);
        try
        {
            if (!_handlers.TryGetValue(item.Adapter, out var handler))
            {
                await inbox.FailAsync(item.Id, instance.Id, $"no handler for adapter '{item.Adapter}'", cancellationToken);
                return true;
            }
            await handler.HandleAsync(item, cancellationToken);
            await inbox.CompleteAsync(item.Id, instance.Id, cancellationToken);
            return true;
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
            {
                await inbox.RetryAsync(item.Id, instance.Id, error, cancellationToken);
                return false;
            }
            await inbox.FailAsync(item.Id, instance.Id, error, cancellationToken);
            return true;
        }
    }
}
