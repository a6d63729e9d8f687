using BotAgent.Testing;
using Microsoft.Data.Sqlite;

namespace BotAgent.Chaos;

/// <summary>
/// The faults done to everything around the bot: the channel (503, 429 with Retry-After, no answer before the
/// timeout, slow answers, refused connections), the write target (slow past the tool's timeout, 503) and the store
/// (another process holding SQLite's write lock; a PostgreSQL restart). Process stops are the <see cref="Cluster"/>'s.
/// </summary>
internal sealed class Faults(TestChannelServer channel, TcpGate gate, TargetServer target, ModelBrain model, string? sqlitePath, PostgresServer? postgres)
{
    public static readonly TimeSpan ConnectorTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, int> _counts = [];

    public IReadOnlyDictionary<string, int> Counts
    {
        get
        {
            lock (_counts)
                return new Dictionary<string, int>(_counts);
        }
    }

    /// <summary>What <paramref name="action"/> does, in words, for the history.</summary>
    public static string Describe(ScheduledAction action, StoreKind store) => action.Kind switch
    {
        ActionKind.ChannelFault => (action.Variant % Schedule.ChannelFaultKinds) switch
        {
            0 => "channel: next post 503",
            1 => "channel: next call 429, Retry-After 1 s",
            2 => "channel: next post unanswered past the timeout",
            3 => "channel: next post slow (accepted after 1.5 s)",
            _ => $"channel: connections refused for {RefusalFor(action).TotalSeconds:F1} s",
        },
        ActionKind.ModelFault => ModelBrain.Describe(action.Variant),
        ActionKind.TargetFault => action.Variant % 2 == 0 ? "write target: next write slower than the tool's timeout" : "write target: next write 503",
        ActionKind.StoreFault => store == StoreKind.Sqlite ? $"SQLite write lock held {LockFor(action).TotalSeconds:F1} s" : "PostgreSQL restart",
        _ => action.Kind.ToString(),
    };

    public Task InjectAsync(ScheduledAction action, StoreKind store)
    {
        // One fault of a kind at a time: when the bot is slow (a restart, a loaded machine) unmet faults would pile up
        // into an outage of minutes, which is another test (a message gives up after Outbox:MaxAttempts).
        if (action.Kind == ActionKind.ChannelFault && action.Variant % Schedule.ChannelFaultKinds != 4 && channel.PendingFaults > 0
            || action.Kind == ActionKind.ModelFault && model.PendingFaults > 0)
        {
            Count(Describe(action, store) + " (skipped: one pending)");
            return Task.CompletedTask;
        }
        Count(Describe(action, store));
        switch (action.Kind)
        {
            case ActionKind.ChannelFault:
                return Channel(action);
            case ActionKind.ModelFault:
                model.FailNext(action.Variant);
                return Task.CompletedTask;
            case ActionKind.TargetFault:
                target.Respond(Actions.WritePath,
                    action.Variant % 2 == 0 ? new TargetResponse(201, "written, too late", Delay: ToolTimeout * 2) : new TargetResponse(503, "write target down"),
                    new TargetResponse(201, "written", Delay: TimeSpan.FromMilliseconds(700)));
                return Task.CompletedTask;
            case ActionKind.StoreFault when store == StoreKind.Sqlite:
                return HoldWriteLockAsync(LockFor(action));
            case ActionKind.StoreFault:
                return postgres!.RestartAsync();
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
    }

    private Task Channel(ScheduledAction action)
    {
        switch (action.Variant % Schedule.ChannelFaultKinds)
        {
            case 0:
                channel.FailNext(c => c.IsPost, new ConnectorFault(503));
                return Task.CompletedTask;
            case 1:
                channel.FailNext(_ => true, new ConnectorFault(429, RetryAfter: TimeSpan.FromSeconds(1)));
                return Task.CompletedTask;
            case 2:
                channel.FailNext(c => c.IsPost, new ConnectorFault(504, Delay: ConnectorTimeout * 2));
                return Task.CompletedTask;
            case 3:
                channel.FailNext(c => c.IsPost, new ConnectorFault(201, Delay: TimeSpan.FromMilliseconds(1500), Accept: true));
                return Task.CompletedTask;
            default:
                return gate.RefuseForAsync(RefusalFor(action));
        }
    }

    private static TimeSpan RefusalFor(ScheduledAction action) => TimeSpan.FromMilliseconds(1000 + action.Target * 500);

    private static TimeSpan LockFor(ScheduledAction action) => TimeSpan.FromMilliseconds(1000 + action.Target * 600);

    /// <summary>Another process's transaction holding SQLite's write lock (BEGIN IMMEDIATE) for a while.</summary>
    private async Task HoldWriteLockAsync(TimeSpan duration)
    {
        await using var connection = new SqliteConnection($"Data Source={sqlitePath};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        await Task.Delay(duration);
        await using var commit = connection.CreateCommand();
        commit.CommandText = "COMMIT;";
        await commit.ExecuteNonQueryAsync();
    }

    private void Count(string what)
    {
        lock (_counts)
            _counts[what] = _counts.GetValueOrDefault(what) + 1;
    }
}
