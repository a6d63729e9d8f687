namespace BotAgent.Channels.BotFramework;

/// <summary>Checks an inbound activity has what BotAgent needs before anything is stored.</summary>
public static class ActivityValidator
{
    /// <returns>Null when valid; otherwise a message naming the missing fields.</returns>
    public static string? Problem(Activity activity)
    {
        if (string.IsNullOrWhiteSpace(activity.Type))
            return "The activity has no 'type'.";
        if (activity.Type is not (ActivityTypes.Message or ActivityTypes.Invoke or ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate))
            return null; // Unknown and unused types are acknowledged and ignored.

        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl))
            missing.Add("serviceUrl");
        else if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "The activity's 'serviceUrl' is not an absolute http(s) URL.";
        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
            missing.Add("conversation.id");
        if (string.IsNullOrWhiteSpace(activity.ChannelId))
            missing.Add("channelId");
        if (activity.Type is ActivityTypes.Message or ActivityTypes.Invoke && string.IsNullOrWhiteSpace(activity.From?.Id))
            missing.Add("from.id");
        if (activity.Type == ActivityTypes.Invoke && string.IsNullOrWhiteSpace(activity.Name))
            missing.Add("name");
        return missing.Count == 0 ? null : $"The {activity.Type} activity is missing required field(s): {string.Join(", ", missing)}.";
    }
}
