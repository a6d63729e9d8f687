using System.Diagnostics.Metrics;
using BotAgent.Core.Reporting;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Core.Tests.Reporting;

/// <summary>botagent.outbox.backlog as a listener (an OpenTelemetry exporter) sees it.</summary>
public sealed class OutboxBacklogTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingOutbox _outbox = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MeterListener _listener = new();
    private readonly List<long> _measured = [];
    private OutboxBacklog? _backlog;

    public OutboxBacklogTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == _meters && instrument.Name == "botagent.outbox.backlog")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _measured.Add(value));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_backlog is not null)
        {
            await _backlog.StopAsync(CancellationToken.None);
            _backlog.Dispose();
        }
        _listener.Dispose();
        _meters.Dispose();
    }

    private async Task StartAsync(bool listening = true)
    {
        if (listening)
            _listener.Start();
        _backlog = new OutboxBacklog(_outbox, _meters, _time, NullLogger<OutboxBacklog>.Instance);
        await _backlog.StartAsync(CancellationToken.None);
    }

    /// <summary>What one collection (an exporter's scrape) reports.</summary>
    private long[] Scrape()
    {
        _measured.Clear();
        _listener.RecordObservableInstruments();
        return [.. _measured];
    }

    [Fact]
    public async Task The_backlog_is_the_count_in_the_store_read_every_few_seconds_not_at_each_scrape()
    {
        _outbox.Backlog = 3;
        await StartAsync();
        await Eventually.TrueAsync(() => Scrape() is [3], "the first count to be reported");

        _outbox.Backlog = 5;
        Assert.Equal([3], Scrape());
        Assert.Equal([3], Scrape());
        Assert.Equal(1, _outbox.BacklogCounts);

        _time.Advance(OutboxBacklog.CountEvery);
        await Eventually.TrueAsync(() => Scrape() is [5], "the new count to be reported");
        Assert.Equal(2, _outbox.BacklogCounts);
    }

    [Fact]
    public async Task A_count_that_failed_is_reported_as_nothing_rather_than_an_old_number()
    {
        _outbox.Backlog = 3;
        await StartAsync();
        await Eventually.TrueAsync(() => Scrape() is [3], "the first count to be reported");

        _outbox.BacklogFailure = new TimeoutException("the database is unreachable");
        _time.Advance(OutboxBacklog.CountEvery);
        await Eventually.TrueAsync(() => Scrape() is [], "the gauge to report nothing");

        _outbox.BacklogFailure = null;
        _outbox.Backlog = 4;
        _time.Advance(OutboxBacklog.CountEvery);
        await Eventually.TrueAsync(() => Scrape() is [4], "the gauge to report again");
    }

    [Fact]
    public async Task A_backlog_nobody_listens_to_is_not_counted()
    {
        // The worker's first round runs before StartAsync returns: with no listener it reads nothing.
        await StartAsync(listening: false);

        Assert.Equal(0, _outbox.BacklogCounts);
        Assert.Empty(Scrape());
    }
}
