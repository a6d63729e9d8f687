using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using BotAgent.Core.Resilience;
using BotAgent.Core.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Reporting;

/// <summary>
/// Delivers one claimed outbox message and records how it went: paced per conversation, a plan card rendered from the
/// store as of now, an update identical to the last one sent for its message recorded without being sent, then retried,
/// given up or marked ambiguous according to what the channel answered.
/// </summary>
internal sealed class OutboxDelivery(
    IOutbox outbox,
    IEnumerable<IChannelSender> senders,
    PlanCardViewBuilder cards,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    // The dispatcher's log category, which is what people filter the outbox's log lines by.
    ILogger<OutboxDispatcher> logger) : IDisposable
{
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Adapter, StringComparer.Ordinal);
    private readonly ConversationPacer _pacer = new(time, options);

    private const string NoticeSentAgain = "↻ Sent again: an earlier copy of this message may also have arrived.";

    private const int RecordTries = 5;
    private static readonly TimeSpan RecordPause = TimeSpan.FromMilliseconds(250);

    // Doubling stops after ten retries (about eight and a half minutes at the default first delay).
    private readonly Backoff _backoff = new(options.Value.RetryBaseDelay, options.Value.RetryBaseDelay * 1024, jitter: 0.2);

    /// <summary>
    /// One message's failure before it was sent (a store error while rendering it) must not stop the others being
    /// delivered: it is put back to be tried again rather than left claimed. After the send, see <see cref="RecordAfterSendAsync"/>.
    /// </summary>
    public async Task DeliverAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            await SendAndRecordAsync(item, cancellationToken);
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

    /// <summary>The dispatcher's idle wait: until a message put back by pacing falls due, at most <paramref name="longest"/>.</summary>
    public TimeSpan UntilNextDue(TimeSpan longest) => _pacer.UntilNextDue(longest);

    /// <summary>What a view shows, as a hash: two views that render the same have the same fingerprint.</summary>
    public static string Fingerprint(OutboundView view) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(view, CoreJsonContext.Default.OutboundView)));

    public void Dispose() => _pacer.Dispose();

    private async Task SendAndRecordAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var message = item.Message;
        using var span = Telemetry.Start("botagent.outbound", message.RunId, message.Conversation.ConversationId, ActivityKind.Producer);
        span?.SetTag("botagent.outbound.kind", message.Kind.ToString());
        if (!_senders.TryGetValue(message.Conversation.Adapter, out var sender))
        {
            await outbox.MarkFailedAsync(item.Id, $"No channel adapter '{message.Conversation.Adapter}' is configured.", time.GetUtcNow(), cancellationToken);
            return;
        }
        if (_pacer.HeldUntil(message.Conversation.OrderingKey) is { } due)
        {
            // Waiting here would hold a delivery slot and keep the message claimed under a lease: it goes back, due when
            // its conversation may be written to again, still the head of that conversation's queue.
            await outbox.DeferAsync(item.Id, due, cancellationToken);
            return;
        }

        var view = await RenderAsync(message.View, cancellationToken);
        if (item.MayHaveArrived)
        {
            // The copy says it is one: the channel may show the first too.
            view = view switch
            {
                PlanCardView card => card with { SentAgain = true },
                DecisionCardView decision => decision with { SentAgain = true },
                NoticeView notice => notice with { Lines = [.. notice.Lines, NoticeSentAgain] },
                _ => view,
            };
        }
        if (view is null)
        {
            var error = $"Run {message.RunId} has no plan card to show any more.";
            logger.OutboxFailed(item.Id, error);
            await outbox.MarkFailedAsync(item.Id, error, time.GetUtcNow(), cancellationToken);
            return;
        }
        span?.SetTag("botagent.outbound.view", view.GetType().Name);

        // An update identical to the last one sent for its message would change nothing people see.
        var fingerprint = message.Kind == OutboundKind.Update && message.MessageKey is not null ? Fingerprint(view) : null;
        if (fingerprint is not null && fingerprint == item.LastSentFingerprint)
        {
            await outbox.MarkSentAsync(item.Id, null, fingerprint, time.GetUtcNow(), cancellationToken);
            return;
        }
        _pacer.Sending(message.Conversation.OrderingKey);
        var outcome = await SendAsync(sender, item with { Message = message with { View = view } }, cancellationToken);
        span?.SetTag("botagent.outbound.status", outcome.Status.ToString());
        await RecordAfterSendAsync(item, outcome, fingerprint, cancellationToken);
    }

    /// <summary>
    /// The channel has answered: what it said is recorded, and the send is never repeated blindly because the store
    /// failed to take the answer (the chaos harness saw a plan card accepted twice, unmarked, when a database restart cut
    /// that write). The store is asked again a few times; if it still fails, the message stays claimed, and when its
    /// lease runs out recovery treats it as a send that may have arrived: a plan card is sent again, marked; another
    /// post is recorded ambiguous; an update (idempotent) is sent again.
    /// </summary>
    private async Task RecordAfterSendAsync(OutboxItem item, SendOutcome outcome, string? fingerprint, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordAsync(item, outcome, fingerprint, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.OutboxRecordFailed(item.Id, attempt, ex);
                if (attempt == RecordTries)
                    return;
                await Task.Delay(RecordPause * attempt, time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A plan card is derived state, rendered from the store when it is sent, so a card that waited never shows an older
    /// state than the run's. Rows from before cards were stored as references hold a whole card: it is rendered anew
    /// too, and sent as stored only if the run can no longer be rendered.
    /// </summary>
    private async Task<OutboundView?> RenderAsync(OutboundView view, CancellationToken cancellationToken) => view switch
    {
        PlanCardReference card => await cards.BuildAsync(card.RunId, cancellationToken, card.PlanVersion),
        PlanCardView card => await cards.BuildAsync(card.RunId, cancellationToken, card.PlanVersion) ?? card,
        _ => view,
    };

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

    private async Task RecordAsync(OutboxItem item, SendOutcome outcome, string? fingerprint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (outcome.Status)
        {
            case SendStatus.Delivered:
                await outbox.MarkSentAsync(item.Id, outcome.MessageId, fingerprint, now, cancellationToken);
                break;
            case not SendStatus.Delivered when item.Message.Kind == OutboundKind.Progress:
                // A hint that comes late is worse than none: it is not retried.
                await outbox.MarkFailedAsync(item.Id, outcome.Error ?? "not shown", now, cancellationToken);
                break;
            case SendStatus.Ambiguous when Reporter.MustArrive(item.Message.Kind, item.Message.MessageKey) && item.Attempts + 1 < options.Value.MaxAttempts:
                // Without its plan card (or the answer that says why there is none) the person who asked sees nothing
                // at all: it is sent again, a card saying so; a decision on either copy counts once.
                var again = _backoff.Delay(item.Attempts);
                logger.OutboxSendingAgain(item.Id, outcome.Error);
                await outbox.SendAgainAsync(item.Id, now + again, "may have arrived: " + (outcome.Error ?? "unknown"), cancellationToken);
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
}
