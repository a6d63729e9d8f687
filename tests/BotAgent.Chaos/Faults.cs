using BotAgent.Testing;

namespace BotAgent.Chaos;

/// <summary>
/// The bot under test and the faults done to it: one real process on a SQLite file that outlives it, killed
/// with SIGKILL and restarted on the same file. Every process's output is kept in the run folder for the history.
/// </summary>
internal sealed class Faults(string directory, TestChannelServer channel) : IAsyncDisposable
{
    private static readonly TimeSpan ConnectorTimeout = TimeSpan.FromSeconds(2);

    private int _starts;

    public BotProcess Bot { get; private set; } = null!;

    public int Kills { get; private set; }

    public string DatabasePath => Path.Combine(directory, "botagent.db");

    public async Task StartAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:BotAgent"] = $"Data Source={DatabasePath}",
            ["Tools:Http:AllowedHosts:0"] = "127.0.0.1",
            ["Outbox:RetryBaseDelay"] = "00:00:00.050",
            ["Execution:RetryBaseDelay"] = "00:00:00.020",
            // A short Connector timeout so a slow or dead channel shows up as ambiguous posts within the run.
            ["BotFramework:ConnectorTimeout"] = ConnectorTimeout.ToString(),
            // The schedule posts far more goals a minute than a person would; the per-person limit would refuse them
            // (told once, then silently), which is the limit's job, not a fault, and would hide the runs checked here. 0 turns a limit off.
            ["Limits:GoalsPerPersonPerMinute"] = "0",
            ["Limits:AwaitingApprovalPerConversation"] = "0",
            ["Logging:LogLevel:Default"] = "Information",
        };
        Bot = await BotProcess.StartAsync(settings);
        _starts++;
    }

    /// <summary>SIGKILL at whatever the bot is doing, then a new process on the same file.</summary>
    public async Task KillAndRestartAsync()
    {
        await Bot.KillAsync();
        Kills++;
        await SaveOutputAsync();
        await StartAsync();
    }

    public int ChannelFaults { get; private set; }

    /// <summary>
    /// The channel's next post fails without being taken: a 503, or no answer before the bot's timeout. Both are
    /// ones the bot must treat as "may have arrived", which is what the no-blind-re-post rule is about.
    /// </summary>
    public void FailNextPost(bool timeout)
    {
        channel.FailNext(c => c.IsPost, timeout ? new ConnectorFault(504, Delay: ConnectorTimeout * 2) : new ConnectorFault(503));
        ChannelFaults++;
    }

    /// <summary>Ends the last process (after the checks) and keeps its output.</summary>
    public async Task StopAsync()
    {
        await Bot.KillAsync();
        await SaveOutputAsync();
    }

    private Task SaveOutputAsync() =>
        File.WriteAllTextAsync(Path.Combine(directory, $"bot-{_starts}.log"), Bot.Output);

    public async ValueTask DisposeAsync()
    {
        if (Bot is not null)
            await Bot.DisposeAsync();
    }
}
