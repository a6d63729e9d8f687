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

    /// <summary>
    /// The bot's own Direct Line endpoint: the sender is who the secret's holder, a token the bot issued, or (local
    /// mode) this machine says; a token binds one person to one conversation.
    /// </summary>
    public const string DirectLine = "directline";

    /// <summary>The bot's own Direct Line endpoint, with a token the bot issued to a person signed in with Entra ID (the /chat page).</summary>
    public const string DirectLineSignIn = "directline-signin";

    /// <summary>
    /// The bot's own Direct Line endpoint, with a token minted for nobody in particular (a site's back end called
    /// <c>/tokens/generate</c> without a user): its holder writes <c>from.id</c> itself, as with Azure's Direct Line.
    /// </summary>
    public const string DirectLineClaimed = "directline-claimed";

    public static bool IsDirectLine(string? voucher) => voucher is DirectLine or DirectLineSignIn or DirectLineClaimed;
}
