using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BotAgent.Core.Reporting;

/// <summary>
/// Keeps <c>botagent.outbox.backlog</c> current: while something listens to it, the store's undelivered messages are
/// counted every <see cref="CountEvery"/>, and a scrape reads the last count without waiting on the database.
/// </summary>
internal sealed class OutboxBacklog : BackgroundService
{
    /// <summary>Fresh enough for a dashboard; rare enough that counting costs nothing next to delivering.</summary>
    public static readonly TimeSpan CountEvery = TimeSpan.FromSeconds(5);

    private readonly IOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxBacklog> _logger;
    private readonly ObservableGauge<long> _gauge;

    // -1 until counted, and after a failed count: a gap on a dashboard says less that is wrong than an old number.
    private long _count = -1;

    public OutboxBacklog(IOutbox outbox, IMeterFactory meters, TimeProvider time, ILogger<OutboxBacklog> logger)
    {
        _outbox = outbox;
        _time = time;
        _logger = logger;
        _gauge = Telemetry.CreateOutboxBacklog(meters, Observe);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CountEvery, _time);
        try
        {
            do
            {
                if (_gauge.Enabled)
                    await CountAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CountAsync(CancellationToken cancellationToken)
    {
        try
        {
            Interlocked.Exchange(ref _count, await _outbox.CountBacklogAsync(cancellationToken));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _count, -1);
            // The dispatcher reports a store that is down; this is only what it means for the gauge.
            _logger.OutboxBacklogNotCounted(ex);
        }
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        var count = Interlocked.Read(ref _count);
        return count < 0 ? [] : [new Measurement<long>(count)];
    }
}
