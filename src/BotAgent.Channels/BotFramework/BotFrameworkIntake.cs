using System.Text.Json;
using BotAgent.Core;
using BotAgent.Core.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// Puts an authenticated activity into the durable inbox, de-duplicated, for the background worker, and answers at
/// once. Card clicks by Action.Execute are the exception: their answer is the HTTP response, so they are decided
/// here (still recorded in the inbox, so a redelivery is answered with the card as it stands, not decided twice).
/// </summary>
public sealed class BotFrameworkIntake(IInbox inbox, WorkSignals signals, TimeProvider time, CardClickHandler clicks, ILogger<BotFrameworkIntake> logger)
{
    public async Task<IResult> AcceptAsync(Activity activity, string stored, CancellationToken cancellationToken)
    {
        using var span = Telemetry.Start("botagent.inbound", null, activity.Conversation?.Id, System.Diagnostics.ActivityKind.Server);
        span?.SetTag("botagent.activity.type", activity.Type);
        var dedupeKey = $"{activity.ChannelId}:{activity.Conversation?.Id}:{activity.Id ?? Guid.NewGuid().ToString("N")}";
        switch (activity.Type)
        {
            case ActivityTypes.Invoke when activity.Name == ActivityTypes.AdaptiveCardInvoke
                && ActivityTranslator.VerbOf(activity) == AdaptiveCardRenderer.RefreshVerb:
                // A refresh only reads: nothing to de-duplicate or keep.
                return Results.Json(await clicks.HandleInvokeAsync(activity, cancellationToken), BotFrameworkJsonContext.Wire.InvokeResponseBody);
            case ActivityTypes.Invoke when activity.Name == ActivityTypes.AdaptiveCardInvoke:
                return Results.Json(await ClickAsync(activity, dedupeKey, stored, cancellationToken), BotFrameworkJsonContext.Wire.InvokeResponseBody);
            case ActivityTypes.Invoke:
                return Results.StatusCode(StatusCodes.Status501NotImplemented);
            case ActivityTypes.Message or ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate:
                if (await AcceptAsync(activity, dedupeKey, stored, processed: false, cancellationToken))
                    signals.Inbox.Set();
                return Results.Ok();
            default:
                return Results.Ok();
        }
    }

    private async Task<InvokeResponseBody> ClickAsync(Activity activity, string dedupeKey, string stored, CancellationToken cancellationToken)
    {
        var fresh = await AcceptAsync(activity, dedupeKey, stored, processed: true, cancellationToken);
        try
        {
            return fresh ? await clicks.HandleInvokeAsync(activity, cancellationToken) : await clicks.ReplayAsync(activity, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or JsonException)
        {
            // A payload of an unexpected shape (the JSON tree throws when read): the sender's mistake.
            return InvokeResponses.Error(400, "BadRequest", "The card action could not be read.");
        }
    }

    /// <returns>False for a redelivery (logged): the inbox already has it.</returns>
    private async Task<bool> AcceptAsync(Activity activity, string dedupeKey, string stored, bool processed, CancellationToken cancellationToken)
    {
        var fresh = await inbox.TryAcceptAsync(ActivityTranslator.Adapter, dedupeKey, ActivityTranslator.OrderingKey(activity), stored, time.GetUtcNow(), processed, cancellationToken);
        if (!fresh)
            logger.DuplicateActivity(dedupeKey);
        return fresh;
    }
}
