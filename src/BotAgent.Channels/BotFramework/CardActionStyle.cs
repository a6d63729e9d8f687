namespace BotAgent.Channels.BotFramework;

/// <summary>How card buttons reach the bot: Teams sends Action.Execute invokes; the Emulator and Web Chat only Action.Submit.</summary>
public enum CardActionStyle
{
    Submit,
    Execute,
}
