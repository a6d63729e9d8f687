using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Channels.BotFramework;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// User-specific views, the Direct Line way: the bot serves the log itself, so a plan card that asks for decisions is
/// shown to each reader as they should see it: Approve and Reject only to people whose click would count, a read-only
/// status with the reason to everyone else. Activities addressed to one person are shown to that person only.
/// </summary>
public sealed class DirectLineViews(IChatEvents chat)
{
    /// <summary>The entries <paramref name="viewer"/> may see, each as they should see it.</summary>
    /// <param name="viewer">Null for a reader who speaks for everyone (the secret's holder, this machine): entries as stored.
    /// A token's holder is never null (<see cref="ViewerOf"/>).</param>
    public async Task<IReadOnlyList<string>> ForViewerAsync(IReadOnlyList<LoggedActivity> entries, Member? viewer, CancellationToken cancellationToken)
    {
        var shown = new List<string>(entries.Count);
        foreach (var entry in entries)
        {
            if (viewer is null)
                shown.Add(entry.Payload);
            else if (entry.RecipientId is null || string.Equals(entry.RecipientId, viewer.Id, StringComparison.Ordinal))
                shown.Add(await ViewAsync(entry, viewer, cancellationToken));
        }
        return shown;
    }

    /// <summary>
    /// The person a grant names, as the activities they post are read (<see cref="ActivityTranslator.MemberOf"/>); for a
    /// token minted for nobody, <see cref="Anonymous"/>: such a holder names themselves, so is nobody in particular.
    /// </summary>
    public static Member? ViewerOf(DirectLineGrant? grant) => grant is null ? null
        : grant.UserId is { } id ? ActivityTranslator.MemberOf(new Activity
        {
            From = new ChannelAccount { Id = id, Name = grant.UserName },
            ChannelId = ActivityTranslator.DirectLineAdapter,
            VouchedBy = grant.SignedIn ? InboundVoucher.DirectLineSignIn : InboundVoucher.DirectLine,
        })
        : Anonymous;

    /// <summary>
    /// A reader no one vouched for: sees what is addressed to everyone, and a card's buttons only where anyone's click
    /// counts. No sender has an empty id (posts without one are refused), so nothing addressed to someone matches it.
    /// </summary>
    public static readonly Member Anonymous = new("", "anyone");

    private async Task<string> ViewAsync(LoggedActivity entry, Member viewer, CancellationToken cancellationToken)
    {
        if (!entry.Payload.Contains(DirectLineSender.PlanCardMarker, StringComparison.Ordinal))
            return entry.Payload;
        var activity = JsonSerializer.Deserialize(entry.Payload, BotFrameworkJsonContext.Default.Activity);
        if (activity?.From?.Role != "bot" || activity.ChannelData?[DirectLineSender.PlanCardMarker] is not JsonValue marker || !marker.TryGetValue<string>(out var runId))
            return entry.Payload;
        var where = new ConversationKey(ActivityTranslator.DirectLineAdapter, ActivityTranslator.DirectLineAdapter, entry.ConversationId, null, null);
        var card = await chat.CardForAsync(runId, viewer, where, cancellationToken);
        if (card is null || card.MayDecide)
            return entry.Payload;
        // The card as it stands, without the buttons this person may not use: the stored copy may be older.
        activity.Attachments =
        [
            new Attachment
            {
                ContentType = ActivityTypes.AdaptiveCardContentType,
                Content = AdaptiveCardRenderer.Render(card.View, CardActionStyle.Submit, viewer: new ViewerRights(false, card.WhyNot)),
            },
        ];
        return JsonSerializer.Serialize(activity, BotFrameworkJsonContext.Wire.Activity);
    }
}
