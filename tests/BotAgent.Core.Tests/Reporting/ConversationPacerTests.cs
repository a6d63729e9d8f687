using BotAgent.Core.Reporting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Core.Tests.Reporting;

public sealed class ConversationPacerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    private ConversationPacer Pacer(TimeSpan? interval = null) =>
        new(_time, Options.Create(new OutboxOptions { MinIntervalPerConversation = interval ?? Interval }));

    [Fact]
    public void A_conversation_not_sent_to_yet_is_not_held()
    {
        using var pacer = Pacer();

        Assert.Null(pacer.HeldUntil("conv-1"));
    }

    [Fact]
    public void After_a_send_the_conversation_is_held_for_the_interval_counted_from_the_send()
    {
        using var pacer = Pacer();
        var sent = _time.GetUtcNow();
        pacer.Sending("conv-1");

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(sent + Interval, pacer.HeldUntil("conv-1"));
        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Equal(sent + Interval, pacer.HeldUntil("conv-1"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(pacer.HeldUntil("conv-1"));
    }

    [Fact]
    public void Asking_whether_a_conversation_is_held_does_not_count_as_a_send()
    {
        using var pacer = Pacer();

        Assert.Null(pacer.HeldUntil("conv-1"));
        Assert.Null(pacer.HeldUntil("conv-1"));
        pacer.Sending("conv-1");

        Assert.NotNull(pacer.HeldUntil("conv-1"));
    }

    [Fact]
    public void A_send_to_one_conversation_holds_back_no_other()
    {
        using var pacer = Pacer();
        pacer.Sending("conv-1");

        Assert.NotNull(pacer.HeldUntil("conv-1"));
        Assert.Null(pacer.HeldUntil("conv-2"));
    }

    [Fact]
    public void Without_an_interval_nothing_is_held()
    {
        using var pacer = Pacer(TimeSpan.Zero);
        pacer.Sending("conv-1");

        Assert.Null(pacer.HeldUntil("conv-1"));
    }

    [Fact]
    public void The_idle_wait_ends_just_after_the_earliest_held_message_falls_due()
    {
        using var pacer = Pacer();
        Assert.Equal(IdlePoll, pacer.UntilNextDue(IdlePoll));

        pacer.Sending("conv-1");
        _time.Advance(TimeSpan.FromMilliseconds(50));
        pacer.Sending("conv-2");
        pacer.HeldUntil("conv-2"); // due in 150 ms
        pacer.HeldUntil("conv-1"); // due in 100 ms

        Assert.Equal(TimeSpan.FromMilliseconds(101), pacer.UntilNextDue(IdlePoll));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(51), pacer.UntilNextDue(IdlePoll));
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(IdlePoll, pacer.UntilNextDue(IdlePoll));
    }

    [Fact]
    public void The_idle_wait_is_never_longer_than_the_poll()
    {
        using var pacer = Pacer(TimeSpan.FromSeconds(5));
        pacer.Sending("conv-1");
        pacer.HeldUntil("conv-1");

        Assert.Equal(IdlePoll, pacer.UntilNextDue(IdlePoll));
    }
}
