namespace BotAgent.Chat;

/// <summary>Who is chatting on /chat, as the bot decides it (never the page): the id goes into the Direct Line token.</summary>
/// <param name="SignedIn">Proven by Entra sign-in: the id is the person's Entra user name.</param>
internal sealed record ChatPerson(string Id, string Name, bool SignedIn);
