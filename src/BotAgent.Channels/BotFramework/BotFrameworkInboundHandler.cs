using System.Text.Json;
using BotAgent.Core.Intake;

namespace BotAgent.Channels.BotFramework;

/// <summary>Turns Bot Framework activities taken from the inbox into the core's chat events, in the background.</summary>
public sealed class BotFrameworkInboundHandler(IChatEvents chat, CardClickHandler clicks) : IInboundHandler
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
                await chat.MessagePostedAsync(
                    new GoalPosted(ActivityTranslator.ConversationOf(activity), ActivityTranslator.MemberOf(activity), text, item.DedupeKey), cancellationToken);
                break;
            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate when BotWasAdded(activity):
                // Teams sends both an installationUpdate and a conversationUpdate on install (and again on
                // every reinstall or Playground reload): the core welcomes once per conversation.
                await chat.BotAddedAsync(ActivityTranslator.ConversationOf(activity), cancellationToken);
                break;
        }
    }

    private static bool BotWasAdded(Activity activity) =>
        activity.Type == ActivityTypes.InstallationUpdate
            ? activity.Action is "add" or "add-upgrade"
            : activity.MembersAdded?.Any(m => m.Id is not null && m.Id == activity.Recipient?.Id) == true;
}
