namespace BotAgent.Channels.BotFramework;

/// <summary>
/// What vouched for an inbound activity, and so how far its sender's ids are believed. Only a channel token (signed by
/// the Bot Framework, its key endorsing the activity's channel) makes a Teams user id, Entra object id or tenant
/// Teams' word. An Entra token is one anybody holding the bot's own credentials can mint (the Emulator, the Agents
/// Playground): its activities may say <c>msteams</c>, but their sender is an Emulator person, not a Teams one.
/// </summary>
public static class InboundVoucher
{
    /// <summary>A Bot Framework channel token whose key endorses the activity's channel.</summary>
    public const string Channel = "channel";

    /// <summary>An Entra ID token issued to the bot's own app id (Emulator, Agents Playground with credentials).</summary>
    public const string Entra = "entra";

    /// <summary>Local mode: no credentials, loopback only; the machine is trusted as a whole.</summary>
    public const string Local = "local";
}
