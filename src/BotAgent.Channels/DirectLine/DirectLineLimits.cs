using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Floods are answered 429 before they cost a write: posts per person and conversation, conversations and tokens per
/// client address, open streams per person and conversation. Per instance: several instances each allow as much.
/// </summary>
public sealed class DirectLineLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _posts;
    private readonly PartitionedRateLimiter<string> _starts;
    private readonly Dictionary<string, int> _streams = [];
    private readonly int _maxStreams;

    public DirectLineLimits(IOptions<DirectLineOptions> options)
    {
        _posts = Window(options.Value.MaxPostsPerMinute);
        _starts = Window(options.Value.MaxConversationsPerMinute);
        _maxStreams = options.Value.MaxStreamsPerConversation;
    }

    /// <summary>A place for one more open stream, given back when disposed; null when the person has as many as allowed.</summary>
    public IDisposable? OpenStream(string conversationId, string? userId)
    {
        var key = conversationId + "\n" + userId;
        lock (_streams)
        {
            var open = _streams.GetValueOrDefault(key);
            if (open >= _maxStreams)
                return null;
            _streams[key] = open + 1;
        }
        return new StreamPlace(this, key);
    }

    private void CloseStream(string key)
    {
        lock (_streams)
        {
            if (--_streams[key] == 0)
                _streams.Remove(key);
        }
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

    private sealed class StreamPlace(DirectLineLimits limits, string key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                limits.CloseStream(key);
        }
    }
}
