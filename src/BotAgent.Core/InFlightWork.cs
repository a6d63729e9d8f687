namespace BotAgent.Core;

/// <summary>
/// The work a claim loop has started and not yet seen finish, at most <c>capacity</c> at once. Each
/// finished item wakes the loop, so it claims again as soon as there is room, instead of after the
/// slowest item of a batch. Used by the loop's own thread only.
/// </summary>
public sealed class InFlightWork(int capacity, WorkSignal wake)
{
    private readonly List<Task> _running = [];

    /// <summary>How many more items the loop may claim now.</summary>
    public int Room
    {
        get
        {
            _running.RemoveAll(t => t.IsCompleted);
            return capacity - _running.Count;
        }
    }

    /// <summary>Starts <paramref name="work"/> on the thread pool; it must handle its own failures.</summary>
    public void Start(Func<Task> work) => _running.Add(RunAsync(work));

    /// <summary>Waits for everything started (at shutdown, once the work has been told to stop).</summary>
    public async Task DrainAsync()
    {
        try
        {
            await Task.WhenAll(_running);
        }
        catch (OperationCanceledException)
        {
            // Stopped part-way: claimed items are left to their leases.
        }
        _running.Clear();
    }

    private async Task RunAsync(Func<Task> work)
    {
        try
        {
            await Task.Run(work);
        }
        finally
        {
            try
            {
                // Room, not new work: counted as an arrival, the inbox worker took its own pace for a burst.
                wake.Wake();
            }
            catch (ObjectDisposedException)
            {
                // The host is past its shutdown timeout and has disposed the signals: nobody is waiting.
            }
        }
    }
}
