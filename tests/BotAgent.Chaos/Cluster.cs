using BotAgent.Testing;

namespace BotAgent.Chaos;

/// <summary>
/// The bot processes under test: one on a SQLite file that outlives it, or two sharing one PostgreSQL database.
/// Each is stopped (SIGKILL or SIGTERM) and started again on the same store; while one is down, activities go to
/// the other. Every other process plans with the model (the rest offline), so a plan made by one planner is
/// approved, run and recovered by a process with the other. Every process's output is kept in the run folder, and
/// checked for unhandled exceptions.
/// </summary>
internal sealed class Cluster(string directory, IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string?> modelSettings, string? assemblyPath)
    : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<int, Task<BotProcess>> _instances = [];
    private readonly List<BotLog> _logs = [];
    private int _starts;

    public int Starts => _starts;

    private int _kills;
    private int _terms;

    // Two instances restart in the background at once: counted atomically.
    public int Kills => Volatile.Read(ref _kills);

    public int Terms => Volatile.Read(ref _terms);

    /// <summary>Every process's output, the finished ones and (after <see cref="StopAllAsync"/>) the last.</summary>
    public IReadOnlyList<BotLog> Logs
    {
        get
        {
            lock (_gate)
                return [.. _logs];
        }
    }

    public async Task StartAsync(int instances)
    {
        for (var i = 0; i < instances; i++)
            await Start(i);
    }

    /// <summary>
    /// The instance to send to: <paramref name="preferred"/> if it is up, else any that is, else the first to come back.
    /// </summary>
    public async Task<BotProcess> PickAsync(int preferred)
    {
        Task<BotProcess>? ready;
        Task<BotProcess>[] all;
        lock (_gate)
        {
            ready = _instances.TryGetValue(preferred, out var mine) && mine.IsCompletedSuccessfully ? mine
                : _instances.Values.FirstOrDefault(t => t.IsCompletedSuccessfully);
            all = [.. _instances.Values];
        }
        // A finished task: awaiting it does not wait.
        return ready is not null ? await ready : await await Task.WhenAny(all);
    }

    /// <summary>
    /// Stops instance <paramref name="index"/> and starts a new process in its place; the returned task ends when the
    /// new one is up. Stops of one instance are chained, so a second waits for the first's new process.
    /// </summary>
    public Task StopAndRestartAsync(int index, bool graceful)
    {
        lock (_gate)
        {
            var restart = RestartAsync(_instances[index], index, graceful);
            _instances[index] = restart;
            return restart;
        }
    }

    private async Task<BotProcess> RestartAsync(Task<BotProcess> current, int index, bool graceful)
    {
        var bot = await current;
        if (bot.HasExited)
            Keep(bot, index, "exited by itself before the stop", crashed: true);
        else
            await StopAsync(bot, index, graceful);
        await bot.DisposeAsync();
        return await StartProcess(index);
    }

    private async Task StopAsync(BotProcess bot, int index, bool graceful)
    {
        if (graceful)
        {
            Interlocked.Increment(ref _terms);
            try
            {
                await bot.StopAsync(TimeSpan.FromSeconds(30));
                Keep(bot, index, "SIGTERM");
            }
            catch (TimeoutException)
            {
                // A graceful stop that hangs is a finding; the log says so and the process is killed.
                await bot.KillAsync();
                Keep(bot, index, "SIGTERM did not end the process within 30 s; SIGKILL");
            }
        }
        else
        {
            Interlocked.Increment(ref _kills);
            await bot.KillAsync();
            Keep(bot, index, "SIGKILL");
        }
    }

    private Task Start(int index)
    {
        var start = StartProcess(index);
        lock (_gate)
            _instances[index] = start;
        return start;
    }

    /// <summary>
    /// Starts a process for the instance. One that exits or does not listen in time is a finding (its log is kept and
    /// invariant 7 reports it), not the end of the run: another start is tried, up to <see cref="StartTries"/>.
    /// </summary>
    private async Task<BotProcess> StartProcess(int index)
    {
        for (var tried = 1; ; tried++)
        {
            var start = Interlocked.Increment(ref _starts);
            var own = new Dictionary<string, string?>(settings);
            if (start % 2 == 0)
            {
                foreach (var (key, value) in modelSettings)
                    own[key] = value;
            }
            var bot = BotProcess.Launch(own, assemblyPath);
            try
            {
                await bot.WaitUntilListeningAsync(TimeSpan.FromSeconds(90));
                return bot;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                if (!bot.HasExited)
                    await bot.KillAsync();
                Keep(bot, index, "did not start: " + e.GetType().Name, crashed: true);
                await bot.DisposeAsync();
                if (tried == StartTries)
                    throw new InvalidOperationException($"instance {index} did not start {StartTries} times in a row; its logs are kept", e);
            }
        }
    }

    private const int StartTries = 3;

    private void Keep(BotProcess bot, int index, string how, bool crashed = false)
    {
        lock (_gate)
        {
            var log = new BotLog(_logs.Count + 1, index, how, bot.Output, crashed);
            _logs.Add(log);
            File.WriteAllText(Path.Combine(directory, $"bot-{log.Number}-instance{index}.log"), log.Output);
        }
    }

    /// <summary>Kills every process (after the checks) and keeps the output; one that had already exited is recorded as such.</summary>
    public async Task StopAllAsync()
    {
        List<(int Index, Task<BotProcess> Bot)> all;
        lock (_gate)
            all = [.. _instances.Select(p => (p.Key, p.Value))];
        foreach (var (index, task) in all)
        {
            var bot = await task;
            var exited = bot.HasExited;
            await bot.KillAsync();
            lock (_gate)
            {
                var log = new BotLog(_logs.Count + 1, index, exited ? "exited by itself" : "end of run", bot.Output, exited);
                _logs.Add(log);
                File.WriteAllText(Path.Combine(directory, $"bot-{log.Number}-instance{index}.log"), log.Output);
            }
            await bot.DisposeAsync();
        }
        lock (_gate)
            _instances.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        List<Task<BotProcess>> all;
        lock (_gate)
            all = [.. _instances.Values];
        foreach (var task in all)
        {
            try
            {
                await (await task).DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // It never started; its output is in the exception the run already reported.
            }
        }
    }
}

/// <summary>One bot process's whole output, and how it ended.</summary>
internal sealed record BotLog(int Number, int Instance, string EndedBy, string Output, bool ExitedByItself);
