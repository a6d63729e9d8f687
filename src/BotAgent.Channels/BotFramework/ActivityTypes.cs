namespace BotAgent.Channels.BotFramework;

public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string Typing = "typing";

    public const string AdaptiveCardInvoke = "adaptiveCard/action";
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";
}
