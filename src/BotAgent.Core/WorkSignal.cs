namespace BotAgent.Core;

/// <summary>
/// Wakes a background worker as soon as there is work, instead of waiting for its next poll.
/// Setting it many times before the worker wakes counts once: the worker drains the store anyway.
/// </summary>
public sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: the worker will wake.
        }
    }

    /// <returns>True when set; false when <paramref name="timeout"/> passed first.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
