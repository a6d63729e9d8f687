using System.Diagnostics;

namespace BotAgent.Benchmarks.Targets;

/// <summary>
/// Watches a process over a measured window: CPU used (user + system) per second of wall time, and the
/// highest resident memory and thread count seen (sampled every 50 ms).
/// </summary>
internal sealed class ProcessWatch : IAsyncDisposable
{
    private readonly int _pid;
    private readonly TimeSpan _cpuAtStart;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peakRssKb;
    private int _peakThreads;

    private ProcessWatch(int pid)
    {
        _pid = pid;
        _cpuAtStart = ProcessStatus.CpuTime(pid);
        Sample();
        _sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                    Sample();
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public static ProcessWatch Start(int pid) => new(pid);

    public async Task<Usage> StopAsync()
    {
        var wall = Stopwatch.GetElapsedTime(_start);
        var cpu = ProcessStatus.CpuTime(_pid) - _cpuAtStart;
        Sample();
        await _stop.CancelAsync();
        await _sampler;
        return new Usage(cpu.TotalSeconds / Math.Max(wall.TotalSeconds, 1e-9), _peakRssKb / 1024.0, _peakThreads, cpu);
    }

    private void Sample()
    {
        var status = ProcessStatus.Read(_pid);
        _peakRssKb = Math.Max(_peakRssKb, status.RssKb);
        _peakThreads = Math.Max(_peakThreads, status.Threads);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}
