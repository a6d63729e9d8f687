using BotAgent.Core.Reporting;

namespace BotAgent.Channels.Slack;

/// <summary>Delivers outbox messages to Slack as Block Kit: posts into the goal's thread, updates by <c>ts</c>.</summary>
internal sealed class SlackSender(SlackWebApiClient api) : IChannelSender
{
    public string Adapter => SlackTranslator.Adapter;

    public Task<SendOutcome> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var message = item.Message;
        // Slack's Web API has no typing indicator for bots: the plan message's status line says what is going on.
        if (message.Kind == OutboundKind.Progress)
            return Task.FromResult(SendOutcome.Delivered(null));
        var conversation = message.Conversation;
        var rendered = SlackBlockRenderer.Render(message.View);
        // Posting to a user id opens (or reuses) the bot's direct-message channel with that person.
        if (message.Kind == OutboundKind.Post && conversation.DirectTo is { } member)
            return api.PostMessageAsync(member, null, rendered, cancellationToken);
        if (message.Kind == OutboundKind.Post)
            return api.PostMessageAsync(conversation.ConversationId, conversation.ThreadId, rendered, cancellationToken);
        if (item.TargetMessageId is null)
            return Task.FromResult(SendOutcome.Failure($"The message '{message.MessageKey}' to update was never confirmed delivered."));
        return api.UpdateAsync(conversation.ConversationId, item.TargetMessageId, rendered, cancellationToken);
    }

    /// <summary>Slack's Web API has no typing indicator for bots.</summary>
    public Task ShowPlanningAsync(Core.Intake.ConversationKey conversation, CancellationToken cancellationToken) => Task.CompletedTask;
}
