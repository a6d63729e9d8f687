namespace BotAgent.Core;

/// <summary>
/// Wakes a background worker as soon as there is work, instead of waiting for its next poll.
/// Setting it many times before the worker wakes counts once: the worker drains the store anyway.
/// </summary>
public sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    // 1 while a wake-up is pending. Set is on the request path (once per accepted activity): the flag
    // keeps it to one interlocked exchange, where releasing a full semaphore would throw every time.
    private int _pending;
    private long _sets;

    /// <summary>How many times new work was signalled (the inbox worker reads arrival rates from it); not <see cref="Wake"/>s.</summary>
    public long Sets => Interlocked.Read(ref _sets);

    /// <summary>New work is there.</summary>
    public void Set()
    {
        Interlocked.Increment(ref _sets);
        Wake();
    }

    /// <summary>Wakes the worker without new work (room for more has freed up): not counted in <see cref="Sets"/>.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
            _semaphore.Release();
    }

    /// <returns>True when set; false when <paramref name="timeout"/> passed first.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var woke = await _semaphore.WaitAsync(timeout, cancellationToken);
        // Cleared before the worker looks at the store: work stored before a Set that finds the flag
        // still up is seen by the look that follows.
        if (woke)
            Interlocked.Exchange(ref _pending, 0); // a full fence: the look at the store cannot move before it
        return woke;
    }

    public void Dispose() => _semaphore.Dispose();
}
