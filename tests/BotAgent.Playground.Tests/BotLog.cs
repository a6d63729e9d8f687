using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BotAgent.Playground.Tests;

/// <summary>The bot's log lines at Information and above, with exceptions, kept for the test's diagnostics.</summary>
internal sealed class BotLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(BotLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            log._lines.Enqueue(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }
    }
}
