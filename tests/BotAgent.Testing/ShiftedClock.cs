namespace BotAgent.Testing;

/// <summary>
/// The system clock moved to another instant: it reads <paramref name="start"/> when made and runs on from there at
/// the real pace, so a bot's timers and timeouts behave while the pages it serves see a known day.
/// </summary>
public sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
