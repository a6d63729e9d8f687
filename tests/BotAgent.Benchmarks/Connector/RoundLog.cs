using System.Diagnostics;

namespace BotAgent.Benchmarks.Connector;

/// <summary>
/// What the test channel and the step target saw for one round's activities, by index: the ids the
/// suite sends are the round's tag followed by a 9-digit index, and the bot replies in that thread.
/// </summary>
internal sealed class RoundLog(string tag, int capacity)
{
    public const int IndexDigits = 9;

    public string Tag { get; } = tag;

    public int Capacity { get; } = capacity;

    /// <summary>First reply of any kind in the thread (an echo, a notice, a plan card).</summary>
    public long[] ReplyAt { get; } = new long[capacity];

    /// <summary>The plan card ("Plan awaiting approval"), its id at the channel and its JSON.</summary>
    public long[] CardAt { get; } = new long[capacity];

    public string?[] CardActivityId { get; } = new string?[capacity];

    public string?[] CardJson { get; } = new string?[capacity];

    /// <summary>The run's summary, and whether it said the run succeeded.</summary>
    public long[] SummaryAt { get; } = new long[capacity];

    public bool[] Succeeded { get; } = new bool[capacity];

    /// <summary>The first step's tool call reaching the target (<c>GET /health?g=…</c>).</summary>
    public long[] StepAt { get; } = new long[capacity];

    public int Replies => Volatile.Read(ref _replies);

    public int Cards => Volatile.Read(ref _cards);

    public int Summaries => Volatile.Read(ref _summaries);

    public int FailedRuns => Volatile.Read(ref _failed);

    public int Steps => Volatile.Read(ref _steps);

    /// <summary>Every step call, repeats included: more than <see cref="Steps"/> means a step ran twice.</summary>
    public int StepCalls => Volatile.Read(ref _stepCalls);

    private int _replies;
    private int _cards;
    private int _summaries;
    private int _failed;
    private int _steps;
    private int _stepCalls;

    internal void OnReply(int index, ReadOnlySpan<byte> body, string assignedId)
    {
        var now = Stopwatch.GetTimestamp();
        if (Interlocked.CompareExchange(ref ReplyAt[index], now, 0) == 0)
            Interlocked.Increment(ref _replies);
        if (body.IndexOf("Plan awaiting approval"u8) >= 0 && Interlocked.CompareExchange(ref CardAt[index], now, 0) == 0)
        {
            CardActivityId[index] = assignedId;
            CardJson[index] = System.Text.Encoding.UTF8.GetString(body);
            Interlocked.Increment(ref _cards);
        }
        var succeeded = body.IndexOf("Run succeeded: "u8) >= 0;
        if ((succeeded || body.IndexOf("Run failed: "u8) >= 0) && Interlocked.CompareExchange(ref SummaryAt[index], now, 0) == 0)
        {
            Succeeded[index] = succeeded;
            if (!succeeded)
                Interlocked.Increment(ref _failed);
            Interlocked.Increment(ref _summaries);
        }
    }

    internal void OnStep(int index)
    {
        Interlocked.Increment(ref _stepCalls);
        if (Interlocked.CompareExchange(ref StepAt[index], Stopwatch.GetTimestamp(), 0) == 0)
            Interlocked.Increment(ref _steps);
    }

    /// <summary>Polls until <paramref name="done"/> holds or the timeout passes; true if it held.</summary>
    public async Task<bool> WaitAsync(Func<RoundLog, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (!done(this))
        {
            if (Stopwatch.GetElapsedTime(start) > timeout)
                return false;
            await Task.Delay(10, cancellationToken);
        }
        return true;
    }
}
