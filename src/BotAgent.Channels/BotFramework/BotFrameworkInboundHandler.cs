using System.Text.Json;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.BotFramework;

/// <summary>Processes Bot Framework activities taken from the inbox, in the background.</summary>
public sealed class BotFrameworkInboundHandler(
    RunCoordinator coordinator,
    ChatCommands commands,
    CardClickHandler clicks,
    ConnectorClient connector,
    Reporter reporter) : IInboundHandler
{
    public string Adapter => ActivityTranslator.Adapter;

    public async Task HandleAsync(InboundItem item, CancellationToken cancellationToken)
    {
        var activity = JsonSerializer.Deserialize(item.Payload, BotFrameworkJsonContext.Default.Activity)
            ?? throw new JsonException("The stored activity is null.");

        switch (activity.Type)
        {
            case ActivityTypes.Message when ActivityTranslator.IsCardAction(activity):
                await clicks.HandleSubmitAsync(activity, cancellationToken);
                break;
            case ActivityTypes.Message:
                var text = ActivityTranslator.GoalText(activity);
                if (text.Length == 0)
                    return;
                var message = new GoalPosted(ActivityTranslator.ReferenceOf(activity), ActivityTranslator.MemberOf(activity), text, item.DedupeKey);
                if (await commands.TryHandleAsync(message, cancellationToken))
                    return;
                await ShowTypingAsync(activity, cancellationToken);
                await coordinator.HandleGoalAsync(message, cancellationToken);
                break;
            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate when BotWasAdded(activity):
                // Teams sends both an installationUpdate and a conversationUpdate on install (and again on
                // every reinstall or Playground reload): one welcome per conversation is enough.
                var conversation = ActivityTranslator.ReferenceOf(activity) with { ThreadId = null };
                await reporter.PostNoticeAsync(conversation, commands.Help(), cancellationToken, messageKey: "welcome:" + conversation.OrderingKey);
                break;
        }
    }

    private static bool BotWasAdded(Activity activity) =>
        activity.Type == ActivityTypes.InstallationUpdate
            ? activity.Action is "add" or "add-upgrade"
            : activity.MembersAdded?.Any(m => m.Id is not null && m.Id == activity.Recipient?.Id) == true;

    /// <summary>
    /// Teams shows "typing…" while the plan is made. It is a hint, not a message: sent directly (not through
    /// the outbox), only to Teams, and a failure changes nothing.
    /// </summary>
    private async Task ShowTypingAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.ChannelId != "msteams" || activity.ServiceUrl is null)
            return;
        await connector.SendTypingAsync(activity.ServiceUrl, activity.Conversation!.Id!, new Activity
        {
            Type = ActivityTypes.Typing,
            From = activity.Recipient,
            Conversation = new ConversationAccount { Id = activity.Conversation.Id },
        }, cancellationToken);
    }
}
