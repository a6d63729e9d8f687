using BotAgent.Core;

namespace BotAgent.Core.Tests.Intake;

public sealed class InFlightWorkTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Room_shrinks_while_work_runs_and_a_finished_item_frees_its_slot_and_wakes_the_loop()
    {
        using var wake = new WorkSignal();
        var inFlight = new InFlightWork(3, wake);
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();

        inFlight.Start(() => first.Task);
        inFlight.Start(() => second.Task);
        Assert.Equal(1, inFlight.Room);
        Assert.False(await wake.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));

        first.SetResult();
        Assert.True(await wake.WaitAsync(Wait, CancellationToken.None));
        Assert.Equal(2, inFlight.Room);

        second.SetResult();
        await inFlight.DrainAsync();
        Assert.Equal(3, inFlight.Room);
    }

    [Fact]
    public async Task Drain_waits_for_work_still_running_and_tolerates_work_stopped_by_cancellation()
    {
        using var wake = new WorkSignal();
        using var stop = new CancellationTokenSource();
        var inFlight = new InFlightWork(2, wake);
        var finished = false;

        inFlight.Start(async () =>
        {
            await Task.Delay(100);
            finished = true;
        });
        inFlight.Start(() => Task.Delay(Timeout.Infinite, stop.Token));
        await stop.CancelAsync();
        await inFlight.DrainAsync();

        Assert.True(finished);
        Assert.Equal(2, inFlight.Room);
    }

    [Fact]
    public async Task A_finished_item_wakes_the_loop_without_counting_as_new_work()
    {
        // The inbox worker reads arrival rates from the count: its own finished work must not look like a burst.
        using var wake = new WorkSignal();
        var inFlight = new InFlightWork(2, wake);

        inFlight.Start(() => Task.CompletedTask);
        await inFlight.DrainAsync();

        Assert.True(await wake.WaitAsync(Wait, CancellationToken.None));
        Assert.Equal(0, wake.Sets);
        wake.Set();
        Assert.Equal(1, wake.Sets);
    }
}
