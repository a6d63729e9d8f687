using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;

namespace BotAgent.Channels.BotFramework;

/// <summary>Turns Bot Framework activities into the core's channel-neutral events.</summary>
public static class ActivityTranslator
{
    public const string Adapter = "botframework";

    /// <summary>The adapter of the bot's own Direct Line endpoint, whose activities have the Bot Framework's shape.</summary>
    public const string DirectLineAdapter = "directline";

    /// <summary>
    /// Which adapter answers an activity: the voucher, which only the bot's own endpoints write, says whether it came
    /// through the bot's Direct Line (answered into its conversation log) or a Connector.
    /// </summary>
    public static string AdapterOf(Activity activity) => InboundVoucher.IsDirectLine(activity.VouchedBy) ? DirectLineAdapter : Adapter;

    public static ConversationKey ConversationOf(Activity activity)
    {
        var id = activity.Conversation!.Id!;
        var type = activity.Conversation.ConversationType;
        var bot = activity.Recipient is { Id: not null } recipient ? new Member(recipient.Id, recipient.Name ?? "BotAgent") : null;
        return new ConversationKey(AdapterOf(activity), activity.ChannelId!, id, activity.Id, bot,
                IsDirect: type == BotFrameworkAddress.Personal, Space: BotFrameworkAddress.SpaceOf(id))
            .WithAddress(
                (BotFrameworkAddress.ServiceUrl, activity.ServiceUrl),
                (BotFrameworkAddress.TenantId, TenantOf(activity)),
                (BotFrameworkAddress.ConversationType, type));
    }

    /// <summary>
    /// The tenant the Teams service vouches for, or null: on other Bot Framework channels (Direct Line, Web Chat)
    /// the client writes these fields itself, so they decide nothing.
    /// </summary>
    public static string? TrustedTenantOf(Activity activity) =>
        IsTeamsWord(activity) ? TenantOf(activity) : null;

    /// <summary>
    /// True when Teams vouches for the sender: the channel says <c>msteams</c> and the activity did not come with an
    /// Entra token (which the bot's own credentials mint: the Playground's <c>msteams</c> is a developer's claim).
    /// </summary>
    private static bool IsTeamsWord(Activity activity) =>
        string.Equals(activity.ChannelId, "msteams", StringComparison.Ordinal) && activity.VouchedBy != InboundVoucher.Entra;

    /// <summary>The Entra tenant of the conversation (Teams sets it in both places), or null.</summary>
    public static string? TenantOf(Activity activity) =>
        activity.Conversation?.TenantId ?? Text(activity.ChannelData?["tenant"], "id");

    /// <summary>
    /// The sender as a member. The Entra object id is taken only from Teams, whose service sets it; other
    /// Bot Framework channels (Direct Line, Web Chat) pass on whatever the client claims.
    /// </summary>
    /// <remarks>
    /// Teams vouches for its user ids and Entra object ids when a channel token brought the activity. The Emulator's
    /// and the Playground's Entra tokens need the bot's own credentials (or local mode keeps everyone off the machine
    /// out): their people are <c>emulator</c> people, whatever channel they claim. Web Chat and Direct Line clients of
    /// Azure Bot Service write <c>from.id</c> themselves: such a person is nobody in particular (no configured approver,
    /// no role member). The bot's own Direct Line endpoint checks <c>from.id</c> against the token it issued (or trusts
    /// the secret's holder, or this machine in local mode): its people are <c>directline</c> people, except the holders
    /// of a token minted for nobody in particular, who name themselves.
    /// </remarks>
    public static Member MemberOf(Activity activity)
    {
        var account = activity.From!;
        var provenBy = IsTeamsWord(activity) ? "msteams"
            : activity.VouchedBy == InboundVoucher.Entra || activity.ChannelId == "emulator" ? "emulator"
            : activity.VouchedBy is InboundVoucher.DirectLine or InboundVoucher.DirectLineSignIn ? DirectLineAdapter
            : null;
        // A /chat token is issued for a signed-in person's Entra user name, which is their e-mail address.
        var email = activity.VouchedBy == InboundVoucher.DirectLineSignIn ? account.Id : null;
        return new(account.Id!, string.IsNullOrWhiteSpace(account.Name) ? account.Id! : account.Name,
            IsTeamsWord(activity) ? account.AadObjectId : null, email, provenBy);
    }

    /// <summary>Where activities of one conversation are ordered (and de-duplicated) in the inbox.</summary>
    public static string OrderingKey(Activity activity) => ConversationKey.OrderingKeyOf(AdapterOf(activity), activity.ChannelId!, activity.Conversation?.Id);

    /// <summary>The message text with the bot's own @mention removed (other people's mentions stay).</summary>
    public static string GoalText(Activity activity)
    {
        var text = activity.Text ?? "";
        var botId = activity.Recipient?.Id;
        foreach (var entity in activity.Entities ?? [])
        {
            if (Text(entity, "type") != "mention")
                continue;
            var mentioned = Text(entity["mentioned"], "id");
            if (botId is null || !string.Equals(mentioned, botId, StringComparison.OrdinalIgnoreCase))
                continue;
            var markup = Text(entity, "text") ?? $"<at>{Text(entity["mentioned"], "name")}</at>";
            text = text.Replace(markup, " ", StringComparison.OrdinalIgnoreCase);
        }
        return text.Replace("&nbsp;", " ", StringComparison.Ordinal).Trim();
    }

    /// <summary>True when the activity is a click on one of our cards, by either route.</summary>
    public static bool IsCardAction(Activity activity) =>
        activity.Type == ActivityTypes.Invoke && activity.Name == ActivityTypes.AdaptiveCardInvoke
        || (activity.Type == ActivityTypes.Message && activity.Value is JsonObject value && value[AdaptiveCardRenderer.BotAgentMarker] is not null);

    public const string ResolvePrefix = "resolve-";

    /// <summary>The verb of a card click, by either route; null when there is none.</summary>
    public static string? VerbOf(Activity activity) => activity.Type == ActivityTypes.Invoke
        ? Text((activity.Value as JsonObject)?["action"], "verb")
        : Text(activity.Value, "verb");

    /// <summary>The run id a click carries, by either route.</summary>
    public static string? ReadRunId(Activity activity) => activity.Type == ActivityTypes.Invoke
        ? Text(((activity.Value as JsonObject)?["action"] as JsonObject)?["data"], "runId")
        : Text(activity.Value, "runId");

    /// <summary>Reads a click on a decision card (mark done / retry / stop a step whose outcome is unknown).</summary>
    public static StepDecision? ReadStepDecision(Activity activity, out string? problem)
    {
        var data = activity.Type == ActivityTypes.Invoke
            ? ((activity.Value as JsonObject)?["action"] as JsonObject)?["data"] as JsonObject
            : activity.Value as JsonObject;
        StepResolutionKind? kind = VerbOf(activity) switch
        {
            "resolve-done" => StepResolutionKind.Done,
            "resolve-retry" => StepResolutionKind.Retry,
            "resolve-stop" => StepResolutionKind.Stop,
            _ => null,
        };
        var runId = Text(data, "runId");
        long? attemptId = data?["attemptId"] is JsonValue value && value.TryGetValue<long>(out var id) ? id : null;
        if (kind is null || runId is null || attemptId is null)
        {
            problem = "The decision carries no run, attempt or known choice.";
            return null;
        }
        problem = null;
        return new StepDecision(runId, attemptId.Value, kind.Value, MemberOf(activity), ConversationOf(activity));
    }

    /// <summary>Reads a click from an Action.Submit message (<c>value</c>) or an Action.Execute invoke (<c>value.action</c>).</summary>
    /// <returns>The action, or null with <paramref name="problem"/> saying what is wrong with the payload.</returns>
    public static PlanDecision? ReadCardAction(Activity activity, out string? problem)
    {
        string? verb;
        JsonObject? data;
        if (activity.Type == ActivityTypes.Invoke)
        {
            if ((activity.Value as JsonObject)?["action"] is not JsonObject action)
            {
                problem = "The invoke has no value.action object.";
                return null;
            }
            if (action["type"] is not null && Text(action, "type") != "Action.Execute")
            {
                problem = $"Unsupported action type '{action["type"]?.ToJsonString()}'.";
                return null;
            }
            verb = Text(action, "verb");
            data = action["data"] as JsonObject;
        }
        else
        {
            data = activity.Value as JsonObject;
            verb = Text(data, "verb");
        }

        var runId = Text(data, "runId");
        var planHash = Text(data, "planHash");
        if (runId is null || planHash is null)
        {
            problem = "The card action carries no run id or plan hash.";
            return null;
        }
        ApprovalVerb? parsed = verb switch { "approve" => ApprovalVerb.Approve, "reject" => ApprovalVerb.Reject, _ => null };
        if (parsed is null)
        {
            problem = verb is null ? "The card action has no verb." : $"Unknown card verb '{verb}'.";
            return null;
        }
        problem = null;
        return new PlanDecision(runId, planHash, parsed.Value, MemberOf(activity), ConversationOf(activity));
    }

    /// <summary>A string member of a JSON object; null when absent or of another kind (wire input is untrusted).</summary>
    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
