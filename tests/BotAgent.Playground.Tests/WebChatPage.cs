using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace BotAgent.Playground.Tests;

/// <summary>
/// One person's tab on the bot's <c>/chat</c>: the official Web Chat (Adaptive Cards rendered by its own renderer), with
/// what the browser said on its console kept (a Content-Security-Policy refusal shows there).
/// </summary>
internal sealed class WebChatPage
{
    private readonly ConcurrentQueue<string> _console = new();

    private WebChatPage(IPage page) => Page = page;

    public IPage Page { get; }

    public IReadOnlyList<string> Console => [.. _console];

    public ILocator SendBox => Page.GetByRole(AriaRole.Textbox, new PageGetByRoleOptions { Name = "Message input box" });

    /// <summary>Opens /chat, picks <paramref name="name"/> and <paramref name="room"/>, and waits for Web Chat's send box.</summary>
    public static async Task<WebChatPage> JoinAsync(IPage page, Uri bot, string name, string room)
    {
        var chat = new WebChatPage(page);
        page.SetDefaultTimeout(60_000);
        page.Console += (_, message) => chat._console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => chat._console.Enqueue("pageerror: " + error);
        await page.GotoAsync(new Uri(bot, "chat").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#room").FillAsync(room);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Join" }).ClickAsync();
        // Connected once the bot's welcome (new room) or the room's history (the welcome is its first message) is shown.
        await chat.WaitForCardAsync("Tell me a goal");
        return chat;
    }

    public async Task SendAsync(string text)
    {
        await SendBox.FillAsync(text);
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Send", Exact = true }).ClickAsync();
    }

    public async Task<ILocator> WaitForCardAsync(params string[] texts)
    {
        var card = Cards(texts).Last;
        await card.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        return card;
    }

    public ILocator Cards(params string[] texts) =>
        texts.Aggregate(Page.Locator(".ac-adaptiveCard"), (cards, text) => cards.Filter(new LocatorFilterOptions { HasText = text }));

    public static ILocator Button(ILocator card, string name) =>
        card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = name, Exact = true });
}
