using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace BotAgent.Playground.Tests;

/// <summary>
/// The Playground's web UI as a person uses it: the compose box (a Lexical editor), Adaptive Cards rendered
/// by the Adaptive Cards JS renderer (<c>.ac-adaptiveCard</c>, buttons <c>.ac-pushButton</c>). Records what the
/// Playground's log stream reports of its traffic with the bot, for diagnostics and wire assertions.
/// </summary>
internal sealed class PlaygroundPage
{
    // Generous: in CI the other test assemblies run at the same time on two cores.
    public static readonly float Timeout = 60_000;

    private readonly ConcurrentQueue<string> _traffic = new();

    private PlaygroundPage(IPage page)
    {
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>The Playground's log entries (JSON, one per line): every activity and Connector call it saw.</summary>
    public IReadOnlyList<string> Traffic => [.. _traffic];

    public ILocator ComposeBox => Page.Locator("[data-lexical-editor='true'][role='textbox']");

    public static async Task<PlaygroundPage> OpenAsync(IPage page, Uri playground)
    {
        var opened = new PlaygroundPage(page);
        page.SetDefaultTimeout(Timeout);
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/_ws/log/", StringComparison.Ordinal))
                socket.FrameReceived += (_, frame) => opened._traffic.Enqueue(frame.Text ?? "");
        };
        await page.GotoAsync(playground.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await opened.ComposeBox.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        return opened;
    }

    /// <summary>Types <paramref name="text"/> in the compose box, key by key, and sends it with Enter.</summary>
    public async Task SendAsync(string text)
    {
        await ComposeBox.ClickAsync();
        await ComposeBox.PressSequentiallyAsync(text);
        await ComposeBox.PressAsync("Enter");
    }

    /// <summary>The card that says all of <paramref name="texts"/> (the newest, if several do), once it is shown.</summary>
    public async Task<ILocator> WaitForCardAsync(params string[] texts)
    {
        var card = Cards(texts).Last;
        await card.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        return card;
    }

    public ILocator Cards(params string[] texts) =>
        texts.Aggregate(Page.Locator(".ac-adaptiveCard"), (cards, text) => cards.Filter(new LocatorFilterOptions { HasText = text }));

    public async Task<string> SaveHtmlAsync(string path)
    {
        var html = await Page.ContentAsync();
        await File.WriteAllTextAsync(path, html);
        return path;
    }
}
