using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Tests.Reporting;

public sealed class OutboxDeliveryTests
{
    /// <summary>
    /// Found by the chaos harness (a PostgreSQL restart): the channel took a post, the store could not record it, and
    /// the message was put back to be sent again, unmarked. Now the recording is retried, and if the store still
    /// refuses the message stays claimed for recovery, which treats it as a send that may have arrived.
    /// </summary>
    [Fact]
    public async Task A_post_the_channel_took_is_never_sent_again_because_the_store_failed_to_record_it()
    {
        var outbox = new RecordingOutbox { MarkSentFailure = new InvalidOperationException("connection cut by a database restart") };
        var sender = new CountingSender();
        using var delivery = new OutboxDelivery(outbox, [sender],
            new PlanCardViewBuilder(new InMemoryRunStore(TimeProvider.System), new InMemoryStepAttemptStore(), Options.Create(new TraceLinkOptions())),
            TimeProvider.System, Options.Create(new OutboxOptions()), NullLogger<OutboxDispatcher>.Instance);
        var conversation = new ConversationKey("test", "emulator", "conv-1", "goal-1", new Member("bot-1", "BotAgent"));
        var message = new OutboundMessage("run-1", conversation, OutboundKind.Post, "step:run-1:1:s1", new NoticeView("Step 1 succeeded", [], NoticeTone.Info, "run-1"));

        await delivery.DeliverAsync(new OutboxItem(7, message, Attempts: 0, TargetMessageId: null), CancellationToken.None);

        Assert.Equal(1, sender.Sends);
        Assert.True(outbox.MarkSentCalls > 1, "the recording is tried again");
        Assert.Equal(0, outbox.RetryLaterCalls);
    }

    private sealed class CountingSender : IChannelSender
    {
        public int Sends { get; private set; }

        public string Adapter => "test";

        public Task<SendOutcome> SendAsync(OutboxItem item, CancellationToken cancellationToken)
        {
            Sends++;
            return Task.FromResult(SendOutcome.Delivered("act-1"));
        }

        public Task ShowPlanningAsync(ConversationKey conversation, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
