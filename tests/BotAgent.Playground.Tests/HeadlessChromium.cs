using Microsoft.Playwright;

namespace BotAgent.Playground.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright through <c>ExecutablePath</c> (Playwright's own browser
/// download is never used), with a fresh profile and the flags that keep it off this machine's closed network.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private HeadlessChromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var profile = Path.Combine(Path.GetTempPath(), "botagent-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Prerequisites.ChromiumPath,
                Headless = true,
                Args = Flags,
                // Tall enough that the whole conversation is in the screenshot.
                ViewportSize = new ViewportSize { Width = 1280, Height = 1600 },
                Timeout = 60_000,
            });
            return new HeadlessChromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async Task<IPage> NewPageAsync() =>
        Context.Pages.Count > 0 ? Context.Pages[0] : await Context.NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }
}
