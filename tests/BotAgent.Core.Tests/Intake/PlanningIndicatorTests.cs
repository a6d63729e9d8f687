using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Core.Tests.Intake;

/// <summary>"Typing…" while a goal is planned: only when planning is slow enough to notice.</summary>
public sealed class PlanningIndicatorTests
{
    private static readonly TimeSpan ShowAfter = new PlannerOptions().TypingAfter;
    private static readonly ConversationKey Thread = new("test", "msteams", "19:chat", "goal-1", new Member("bot-1", "BotAgent"));

    [Fact]
    public async Task Fast_planning_shows_nothing()
    {
        var time = new FakeTimeProvider();
        var sender = new RecordingSender();
        var planning = new TaskCompletionSource<string>();
        var waiting = new PlanningIndicator([sender], time, Options.Create(new PlannerOptions())).WhileAsync(Thread, planning.Task, CancellationToken.None);

        time.Advance(ShowAfter - TimeSpan.FromMilliseconds(1));
        planning.SetResult("plan");

        Assert.Equal("plan", await waiting);
        time.Advance(TimeSpan.FromSeconds(10)); // the timer was stopped with the planning
        Assert.Empty(sender.Shown);
    }

    [Fact]
    public async Task Slow_planning_shows_the_indicator_once_in_its_thread_then_returns_the_plan()
    {
        var time = new FakeTimeProvider();
        var sender = new RecordingSender();
        var planning = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new PlanningIndicator([sender], time, Options.Create(new PlannerOptions())).WhileAsync(Thread, planning.Task, CancellationToken.None);

        time.Advance(ShowAfter);
        await sender.FirstShown.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(waiting.IsCompleted);
        planning.SetResult("plan");

        Assert.Equal("plan", await waiting);
        Assert.Equal([Thread], sender.Shown);
    }

    [Fact]
    public async Task An_indicator_that_fails_does_not_lose_the_plan()
    {
        var time = new FakeTimeProvider();
        var sender = new RecordingSender { Fails = true };
        var planning = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new PlanningIndicator([sender], time, Options.Create(new PlannerOptions())).WhileAsync(Thread, planning.Task, CancellationToken.None);

        time.Advance(ShowAfter);
        await sender.FirstShown.Task.WaitAsync(TimeSpan.FromSeconds(10));
        planning.SetResult("plan");

        Assert.Equal("plan", await waiting);
    }

    [Fact]
    public async Task A_planning_failure_reaches_the_caller()
    {
        var sender = new RecordingSender();
        var waiting = new PlanningIndicator([sender], new FakeTimeProvider(), Options.Create(new PlannerOptions()))
            .WhileAsync(Thread, Task.FromException<string>(new InvalidOperationException("store down")), CancellationToken.None);

        Assert.Equal("store down", (await Assert.ThrowsAsync<InvalidOperationException>(() => waiting)).Message);
        Assert.Empty(sender.Shown);
    }

    private sealed class RecordingSender : IChannelSender
    {
        public List<ConversationKey> Shown { get; } = [];
        public TaskCompletionSource FirstShown { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Fails { get; init; }

        public string Adapter => "test";

        public Task<SendOutcome> SendAsync(OutboxItem item, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ShowPlanningAsync(ConversationKey conversation, CancellationToken cancellationToken)
        {
            lock (Shown)
                Shown.Add(conversation);
            FirstShown.TrySetResult();
            return Fails ? Task.FromException(new HttpRequestException("connector down")) : Task.CompletedTask;
        }
    }
}
