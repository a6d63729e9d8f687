using System.Text.Json;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.BotFramework;

/// <summary>Processes Bot Framework activities taken from the inbox, in the background.</summary>
public sealed class BotFrameworkInboundHandler(RunCoordinator coordinator, CardClickHandler clicks, Reporter reporter) : IInboundHandler
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
                await coordinator.HandleGoalAsync(
                    new GoalPosted(ActivityTranslator.ReferenceOf(activity), ActivityTranslator.MemberOf(activity.From!), text, item.DedupeKey),
                    cancellationToken);
                break;
            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate when BotWasAdded(activity):
                await reporter.PostNoticeAsync(ActivityTranslator.ReferenceOf(activity) with { ThreadId = null }, Welcome(), cancellationToken);
                break;
        }
    }

    private static bool BotWasAdded(Activity activity) =>
        activity.Type == ActivityTypes.InstallationUpdate
            ? activity.Action is "add" or "add-upgrade"
            : activity.MembersAdded?.Any(m => m.Id is not null && m.Id == activity.Recipient?.Id) == true;

    private static NoticeView Welcome() => new(
        "Hi, I'm BotAgent. Tell me a goal and I'll propose a plan; nothing runs until someone approves it.",
        [
            "Try `check https://example.com/health` to check an endpoint.",
            "Or type numbered steps, one per line: `1. http.get https://example.com/health`.",
            "Each plan shows its steps, risk and who may approve it; results arrive in the thread.",
        ],
        NoticeTone.Info);
}
