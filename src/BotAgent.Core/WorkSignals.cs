namespace BotAgent.Core;

/// <summary>One signal per background worker.</summary>
public sealed class WorkSignals : IDisposable
{
    public WorkSignal Inbox { get; } = new();
    public WorkSignal Runs { get; } = new();
    public WorkSignal Outbox { get; } = new();

    public void Dispose()
    {
        Inbox.Dispose();
        Runs.Dispose();
        Outbox.Dispose();
    }
}
