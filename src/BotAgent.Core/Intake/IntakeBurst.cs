namespace BotAgent.Core.Intake;

/// <summary>
/// Whether activities are arriving in a burst, from how often the intake has signalled the inbox: while they are,
/// the inbox worker handles them at a trickle so the requests bringing them get the cores (each is already stored,
/// so nothing waits but the answer), and catches up when the burst ends. Never longer than <paramref name="maxLag"/>
/// behind: past that the backlog is handled at full speed whatever still arrives.
/// </summary>
/// <param name="perSecond">Arrivals a second that make a burst: far above what people type into chats, where a
/// flood comes from retries, a script or an attack.</param>
public sealed class IntakeBurst(double perSecond, TimeSpan maxLag)
{
    // Long enough to count a rate, short enough to notice the end of a burst within a tenth of a second.
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    private long _windowSets;
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private bool _bursting;

    /// <summary>The defaults: 2,000 activities a second, at most 10 seconds behind.</summary>
    public static IntakeBurst Default() => new(2000, TimeSpan.FromSeconds(10));

    /// <summary>Samples the signal's count; true while arrivals are at burst rate and the oldest waiting item is not too old.</summary>
    /// <param name="sets">How many activities the intake has signalled so far (<see cref="WorkSignal.Sets"/>).</param>
    /// <param name="oldestWaiting">When the oldest item the worker last claimed was received, if it is behind.</param>
    public bool Holding(long sets, DateTimeOffset now, DateTimeOffset? oldestWaiting)
    {
        var elapsed = now - _windowStart;
        if (elapsed >= Window)
        {
            // A window that ended long ago (the worker was idle) says nothing about now: start counting again.
            _bursting = elapsed < Window * 3 && (sets - _windowSets) / elapsed.TotalSeconds >= perSecond;
            _windowSets = sets;
            _windowStart = now;
        }
        return _bursting && (oldestWaiting is not { } oldest || now - oldest < maxLag);
    }
}
