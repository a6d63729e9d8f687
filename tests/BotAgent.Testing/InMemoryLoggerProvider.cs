using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BotAgent.Testing;

/// <summary>
/// Records every formatted log message (and its exception) at every level, so a test can assert what
/// the bot wrote to its logs, e.g. that no secret appears in any line. Add it in
/// <see cref="BotUnderTest.StartAsync"/>'s <c>configure</c> with <see cref="AddTo"/>.
/// </summary>
public sealed class InMemoryLoggerProvider : ILoggerProvider
{
    public const string ScopeEvent = "scope";

    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    /// <summary>Adds this provider to <paramref name="logging"/> at Trace, whatever the configured levels say.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        logging.AddProvider(this);
        logging.AddFilter<InMemoryLoggerProvider>(null, LogLevel.Trace);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        /// <summary>Scopes are recorded too (as a Trace line named "scope"): their values reach log sinks as well.</summary>
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue(new LogLine(LogLevel.Trace, category, ScopeEvent, state.ToString() ?? "", Properties(state), null));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue(new LogLine(logLevel, category, eventId.Name, formatter(state, exception), Properties(state), exception?.ToString()));
        }

        // The structured values too: a secret could sit in a property the message template leaves out.
        private static string Properties<TState>(TState state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : "";
    }
}

/// <summary>One recorded log message.</summary>
public sealed record LogLine(LogLevel Level, string Category, string? EventName, string Message, string Properties, string? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message} [{Properties}]{(Exception is null ? "" : " " + Exception)}";
}
