using System.Collections.Concurrent;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Wakes the WebSocket streams of a conversation when this instance appends to its log. Streams also look at the log
/// on their own every few seconds, for what another instance appended.
/// </summary>
public sealed class DirectLineFeed(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    public void Notify(string conversationId)
    {
        if (_waiting.TryRemove(conversationId, out var waiting))
            waiting.TrySetResult();
    }

    /// <summary>Until something is appended to the conversation here, or <paramref name="longest"/> has passed.</summary>
    public async Task WaitAsync(string conversationId, TimeSpan longest, CancellationToken cancellationToken)
    {
        var signal = _waiting.GetOrAdd(conversationId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(longest);
        try
        {
            await signal.Task.WaitAsync(Timeout.InfiniteTimeSpan, time, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Time to look at the log anyway.
        }
    }
}
