namespace BotAgent.Benchmarks.Targets;

/// <summary>A target process that answered its first activity, and how long that took from its start.</summary>
internal sealed record Started(TargetProcess Process, TimeSpan FirstAccepted, string? Database) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
