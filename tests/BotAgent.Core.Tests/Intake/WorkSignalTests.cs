using BotAgent.Core;

namespace BotAgent.Core.Tests.Intake;

public sealed class WorkSignalTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Many_sets_before_the_worker_wakes_count_once_and_a_set_after_it_woke_is_not_lost()
    {
        using var signal = new WorkSignal();

        for (var i = 0; i < 1000; i++)
            signal.Set();
        Assert.True(await signal.WaitAsync(Long, CancellationToken.None));
        Assert.False(await signal.WaitAsync(Short, CancellationToken.None));

        signal.Set();
        Assert.True(await signal.WaitAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task Sets_from_many_threads_while_the_worker_waits_always_wake_it()
    {
        using var signal = new WorkSignal();
        for (var round = 0; round < 200; round++)
        {
            var waiting = signal.WaitAsync(Long, CancellationToken.None);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(signal.Set)));
            Assert.True(await waiting);
        }
    }
}
