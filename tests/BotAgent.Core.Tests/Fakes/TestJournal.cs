using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>A <see cref="RunJournal"/> over in-memory parts, and the reporter it talks to.</summary>
internal static class TestJournal
{
    /// <summary>A journal whose moves announce into <paramref name="outbox"/> (the store's, as the real store's transaction does).</summary>
    public static RunJournal Create(InMemoryRunStore store, ITraceSink traces, TimeProvider time, RecordingOutbox? outbox = null)
    {
        store.Outbox = outbox ?? store.Outbox ?? new RecordingOutbox();
        return new(store, traces, new WorkSignals(), new BotInstance(Options.Create(new BotAgent.Core.Execution.ExecutionOptions())), NullLogger<RunJournal>.Instance);
    }

    /// <summary>The reporter over <paramref name="outbox"/>, which also gets what the store's moves announce.</summary>
    public static Reporter Reporter(InMemoryRunStore store, TimeProvider time, RecordingOutbox outbox)
    {
        store.Outbox = outbox;
        return new(outbox, new WorkSignals(), time, Options.Create(new ReportingOptions()));
    }
}
