using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Floods are answered 429 before they cost a write: posts per person and conversation, conversations and tokens per
/// client address. Per instance: several instances each allow as much.
/// </summary>
public sealed class DirectLineLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _posts;
    private readonly PartitionedRateLimiter<string> _starts;

    public DirectLineLimits(IOptions<DirectLineOptions> options)
    {
        _posts = Window(options.Value.MaxPostsPerMinute);
        _starts = Window(options.Value.MaxConversationsPerMinute);
    }

    public bool MayPost(string conversationId, string userId) => Acquire(_posts, conversationId + "\n" + userId);

    public bool MayStart(string clientAddress) => Acquire(_starts, clientAddress);

    public void Dispose()
    {
        _posts.Dispose();
        _starts.Dispose();
    }

    private static bool Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Window(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
}
