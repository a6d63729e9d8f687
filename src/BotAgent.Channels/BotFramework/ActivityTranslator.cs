using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;

namespace BotAgent.Channels.BotFramework;

/// <summary>Turns Bot Framework activities into the core's channel-neutral events.</summary>
public static class ActivityTranslator
{
    public const string Adapter = "botframework";

    public static ConversationReference ReferenceOf(Activity activity) => new(
        Adapter,
        activity.ChannelId!,
        activity.Conversation!.Id!,
        activity.Id,
        activity.ServiceUrl,
        activity.Recipient is { Id: not null } bot ? new Member(bot.Id, bot.Name ?? "BotAgent") : null,
        activity.Conversation.TenantId ?? activity.ChannelData?["tenant"]?["id"]?.GetValue<string>(),
        activity.Conversation.ConversationType);

    public static Member MemberOf(ChannelAccount account) =>
        new(account.Id!, string.IsNullOrWhiteSpace(account.Name) ? account.Id! : account.Name, account.AadObjectId);

    /// <summary>Where activities of one conversation are ordered (and de-duplicated) in the inbox.</summary>
    public static string OrderingKey(Activity activity) => $"{Adapter}:{activity.ChannelId}:{activity.Conversation?.Id}";

    /// <summary>The message text with the bot's own @mention removed (other people's mentions stay).</summary>
    public static string GoalText(Activity activity)
    {
        var text = activity.Text ?? "";
        var botId = activity.Recipient?.Id;
        foreach (var entity in activity.Entities ?? [])
        {
            if (entity["type"]?.GetValue<string>() != "mention")
                continue;
            var mentioned = entity["mentioned"]?["id"]?.GetValue<string>();
            if (botId is null || !string.Equals(mentioned, botId, StringComparison.OrdinalIgnoreCase))
                continue;
            var markup = entity["text"]?.GetValue<string>()
                ?? $"<at>{entity["mentioned"]?["name"]?.GetValue<string>()}</at>";
            text = text.Replace(markup, " ", StringComparison.OrdinalIgnoreCase);
        }
        return text.Replace("&nbsp;", " ", StringComparison.Ordinal).Trim();
    }

    /// <summary>True when the activity is a click on one of our cards, by either route.</summary>
    public static bool IsCardAction(Activity activity) =>
        activity.Type == ActivityTypes.Invoke && activity.Name == ActivityTypes.AdaptiveCardInvoke
        || activity.Type == ActivityTypes.Message && activity.Value is JsonObject value && value[AdaptiveCardRenderer.BotAgentMarker] is not null;

    /// <summary>Reads a click from an Action.Submit message (<c>value</c>) or an Action.Execute invoke (<c>value.action</c>).</summary>
    /// <returns>The action, or null with <paramref name="problem"/> saying what is wrong with the payload.</returns>
    public static CardAction? ReadCardAction(Activity activity, out string? problem)
    {
        string? verb;
        JsonNode? data;
        if (activity.Type == ActivityTypes.Invoke)
        {
            var action = activity.Value?["action"];
            if (action is null)
            {
                problem = "The invoke has no value.action.";
                return null;
            }
            if (action["type"]?.GetValue<string>() is { } type && type != "Action.Execute")
            {
                problem = $"Unsupported action type '{type}'.";
                return null;
            }
            verb = action["verb"]?.GetValue<string>();
            data = action["data"];
        }
        else
        {
            data = activity.Value;
            verb = data?["verb"]?.GetValue<string>();
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
            problem = $"Unknown card verb '{verb}'.";
            return null;
        }
        problem = null;
        return new CardAction(runId, planHash, parsed.Value, MemberOf(activity.From!), ReferenceOf(activity));
    }

    private static string? Text(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
