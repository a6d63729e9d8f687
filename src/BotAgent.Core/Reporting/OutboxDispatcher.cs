using BotAgent.Core.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Reporting;

/// <summary>
/// Delivers outbox messages through the channel adapters, in order per conversation, retrying what is
/// safe to retry and recording what is not.
/// </summary>
public sealed class OutboxDispatcher(
    IOutbox outbox,
    IEnumerable<IChannelSender> senders,
    PlanCardViewBuilder cards,
    WorkSignals signals,
    BotInstance instance,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoverEvery = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Adapter, StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _lastSend = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _lastUpdate = new(StringComparer.Ordinal);

    // Doubling stops after ten retries (about eight and a half minutes at the default first delay).
    private readonly Backoff _backoff = new(options.Value.RetryBaseDelay, options.Value.RetryBaseDelay * 1024, jitter: 0.2);

    // When messages put back to wait out their conversation's pacing fall due (UTC ticks): the loop wakes then.
    private readonly PriorityQueue<long, long> _dueAgain = new();

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
                // Claims only the head of each conversation's queue: a message in flight holds back the
                // next one of its conversation, and its delivery wakes this loop to claim that one.
                var room = inFlight.Room;
                if (room > 0)
                {
                    var batch = await outbox.ClaimDueAsync(instance.Id, room, now, now + options.Value.Lease, stoppingToken);
                    foreach (var item in batch)
                        inFlight.Start(() => DeliverIsolatedAsync(item, stoppingToken));
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
                await signals.Outbox.WaitAsync(UntilNextDue(), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One message's failure (a store error while recording it) must not stop the others in the batch:
    /// it is put back to be tried again rather than left claimed.
    /// </summary>
    private async Task DeliverIsolatedAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverAsync(item, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.OutboxSendThrew(item.Id, ex);
            try
            {
                await outbox.RetryLaterAsync(item.Id, time.GetUtcNow() + _backoff.Delay(item.Attempts), ex.GetType().Name + ": " + ex.Message, CancellationToken.None);
            }
            catch (Exception again)
            {
                // The store is down: the lease expires and recovery takes the message back.
                logger.OutboxLoopFailed(again);
            }
        }
    }

    private async Task DeliverAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        using var span = Telemetry.Start("botagent.outbound", item.Message.RunId, item.Message.Conversation.ConversationId, System.Diagnostics.ActivityKind.Producer);
        span?.SetTag("botagent.outbound.kind", item.Message.Kind.ToString());
        span?.SetTag("botagent.outbound.view", item.Message.View.GetType().Name);
        var now = time.GetUtcNow();
        if (!_senders.TryGetValue(item.Message.Conversation.Adapter, out var sender))
        {
            await outbox.MarkFailedAsync(item.Id, $"No channel adapter '{item.Message.Conversation.Adapter}' is configured.", now, cancellationToken);
            return;
        }

        var wait = PacingWait(item.Message.Conversation.OrderingKey);
        if (wait > TimeSpan.Zero)
        {
            // Waiting here would hold a delivery slot and keep the message claimed under a lease: it goes back,
            // due when its conversation may be written to again, still the head of that conversation's queue.
            var due = time.GetUtcNow() + wait;
            await outbox.DeferAsync(item.Id, due, cancellationToken);
            DueAgainAt(due);
            return;
        }

        var current = await CurrentAsync(item, cancellationToken);
        // An update identical to the last one delivered for this message would change nothing people see.
        var fingerprint = item.Message.Kind == OutboundKind.Update && item.Message.MessageKey is not null
            ? System.Text.Json.JsonSerializer.Serialize(current.Message.View, Serialization.CoreJsonContext.Default.OutboundView)
            : null;
        if (fingerprint is not null && _lastUpdate.TryGetValue(item.Message.MessageKey!, out var last) && last == fingerprint)
        {
            Telemetry.OutboxBacklog.Add(-1);
            await outbox.MarkSentAsync(item.Id, null, time.GetUtcNow(), cancellationToken);
            return;
        }
        Sending(item.Message.Conversation.OrderingKey);
        var outcome = await SendAsync(sender, current, cancellationToken);

        now = time.GetUtcNow();
        span?.SetTag("botagent.outbound.status", outcome.Status.ToString());
        if (outcome.Status != SendStatus.RetryLater || item.Attempts + 1 >= options.Value.MaxAttempts || item.Message.Kind == OutboundKind.Progress)
            Telemetry.OutboxBacklog.Add(-1);
        switch (outcome.Status)
        {
            case SendStatus.Delivered:
                await outbox.MarkSentAsync(item.Id, outcome.MessageId, now, cancellationToken);
                if (fingerprint is not null)
                {
                    if (_lastUpdate.Count > 10_000)
                        _lastUpdate.Clear();
                    _lastUpdate[item.Message.MessageKey!] = fingerprint;
                }
                break;
            case not SendStatus.Delivered when item.Message.Kind == OutboundKind.Progress:
                // A hint that comes late is worse than none: it is not retried.
                await outbox.MarkFailedAsync(item.Id, outcome.Error ?? "not shown", now, cancellationToken);
                break;
            case SendStatus.Ambiguous:
                logger.OutboxAmbiguous(item.Id, outcome.Error);
                await outbox.MarkAmbiguousAsync(item.Id, outcome.Error ?? "unknown", now, cancellationToken);
                break;
            case SendStatus.RetryLater when item.Attempts + 1 < options.Value.MaxAttempts:
                var delay = _backoff.Delay(item.Attempts, outcome.RetryAfter);
                logger.OutboxRetry(item.Id, delay.TotalMilliseconds, outcome.Error);
                await outbox.RetryLaterAsync(item.Id, now + delay, outcome.Error ?? "retry", cancellationToken);
                break;
            default:
                logger.OutboxFailed(item.Id, outcome.Error);
                await outbox.MarkFailedAsync(item.Id, outcome.Error ?? "failed", now, cancellationToken);
                break;
        }
    }

    private async Task<SendOutcome> SendAsync(IChannelSender sender, OutboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            return await sender.SendAsync(item, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug or broken infrastructure in the adapter: do not lose the message, try again later.
            logger.OutboxSendThrew(item.Id, ex);
            return SendOutcome.Later(null, ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>
    /// How long until the conversation may be sent to again: sends to one conversation are kept at least
    /// <see cref="OutboxOptions.MinIntervalPerConversation"/> apart.
    /// </summary>
    private TimeSpan PacingWait(string conversation)
    {
        var interval = options.Value.MinIntervalPerConversation;
        return interval > TimeSpan.Zero && _lastSend.TryGetValue(conversation, out var last)
            ? interval - time.GetElapsedTime(last)
            : TimeSpan.Zero;
    }

    private void DueAgainAt(DateTimeOffset due)
    {
        lock (_dueAgain)
            _dueAgain.Enqueue(due.UtcTicks, due.UtcTicks);
    }

    /// <summary>The idle wait: until the next put-back message falls due, at most the poll interval.</summary>
    private TimeSpan UntilNextDue()
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_dueAgain)
        {
            while (_dueAgain.TryPeek(out _, out var due) && due <= now)
                _dueAgain.Dequeue();
            if (!_dueAgain.TryPeek(out _, out var next))
                return IdlePoll;
            // A millisecond past the due time, so the claim that follows finds the message due.
            var until = TimeSpan.FromTicks(next - now) + TimeSpan.FromMilliseconds(1);
            return until < IdlePoll ? until : IdlePoll;
        }
    }

    /// <summary>Pacing counts from when a send starts.</summary>
    private void Sending(string conversation)
    {
        _lastSend[conversation] = time.GetTimestamp();
        if (_lastSend.Count > 10_000)
            _lastSend.Clear(); // bounded memory; pacing restarts from scratch for idle conversations
    }

    /// <summary>
    /// A plan card is derived state: it is rendered from the store when it is sent, so a card that
    /// waited (queued behind other messages, retried after a 429) never shows an older state than the run's.
    /// </summary>
    private async Task<OutboxItem> CurrentAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        if (item.Message.View is not PlanCardView card)
            return item;
        var current = await cards.BuildAsync(card.RunId, cancellationToken, card.PlanVersion);
        return current is null ? item : item with { Message = item.Message with { View = current } };
    }
}
