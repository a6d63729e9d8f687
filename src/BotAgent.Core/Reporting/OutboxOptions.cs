using System.ComponentModel.DataAnnotations;

namespace BotAgent.Core.Reporting;

/// <summary>Configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Deliveries attempted before a message is given up as failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay when the channel gives no Retry-After; doubles each time.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Least time between two sends to one conversation. Teams allows about 7 messages a second per
    /// conversation; the default stays under that, so the bot is paced rather than throttled.
    /// </summary>
    public TimeSpan MinIntervalPerConversation { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// How long a message being sent stays with this instance. If the instance dies mid-send, the
    /// conversation's later messages wait this long; keep it above the channel call timeout.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages sent at once (four times as many may be claimed, waiting for their conversation's pacing).</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 16;
}
