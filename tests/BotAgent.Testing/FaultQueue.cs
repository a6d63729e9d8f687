using System.Collections.Concurrent;

namespace BotAgent.Testing;

/// <summary>
/// The faults a loopback server was told to inject: each is used once, by the first call its condition
/// matches; faults whose condition a call does not match keep their place for later calls.
/// </summary>
public sealed class FaultQueue<TCall, TFault>
    where TFault : class
{
    private readonly ConcurrentQueue<(Func<TCall, bool> When, TFault Fault)> _faults = new();

    public void Add(Func<TCall, bool> when, TFault fault) => _faults.Enqueue((when, fault));

    /// <summary>Faults not yet used.</summary>
    public int Pending => _faults.Count;

    public TFault? Take(TCall call)
    {
        var count = _faults.Count;
        for (var i = 0; i < count; i++)
        {
            if (!_faults.TryDequeue(out var entry))
                break;
            if (entry.When(call))
                return entry.Fault;
            _faults.Enqueue(entry);
        }
        return null;
    }
}
