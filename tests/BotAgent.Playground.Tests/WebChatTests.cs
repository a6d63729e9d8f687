using BotAgent.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BotAgent.Playground.Tests;

/// <summary>
/// The bot's own <c>/chat</c> in headless Chromium, against the real bot process: the official Web Chat bundle it
/// serves, its Direct Line, Adaptive Cards with working Approve buttons, and two tabs as two people.
/// </summary>
public sealed class WebChatTests(ITestOutputHelper output)
{
    private static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "webchat-run");

    [ChromiumFact]
    public async Task A_goal_typed_in_web_chat_shows_its_plan_card_and_a_click_on_approve_runs_it()
    {
        await using var target = await TargetServer.StartAsync();
        target.Respond("/health", new TargetResponse(200, "healthy"));
        await using var bot = await StartBotAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var alice = await WebChatPage.JoinAsync(await chromium.NewPageAsync(), bot.BaseUri, "Alice", "checks");
        var passed = false;
        try
        {
            await alice.SendAsync($"check {target.Url("/health")}");
            var card = await alice.WaitForCardAsync("Plan awaiting approval", $"http.get on {target.BaseUrl}");
            Assert.Equal(0, target.HitCount("/health"));
            await WebChatPage.Button(card, "Approve").ClickAsync();

            await alice.WaitForCardAsync("Step 1", "HTTP 200");
            await alice.WaitForCardAsync("Run succeeded", "Goal met");
            Assert.Equal(1, target.HitCount("/health"));
            // The card's new states replaced it in place (same activity id): one plan card, no button left.
            await Assertions.Expect(alice.Cards("Goal met", $"Run ").Filter(new LocatorFilterOptions { HasText = "Who may approve" })).ToHaveCountAsync(1);
            await Assertions.Expect(alice.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Approve", Exact = true })).ToHaveCountAsync(0);
            AssertNoPolicyRefusals(alice);
            passed = true;
        }
        finally
        {
            await KeepAsync(bot, passed, ("alice", alice));
        }
    }

    [ChromiumFact]
    public async Task A_second_person_in_another_tab_approves_the_write_plan_the_first_asked_for()
    {
        await using var target = await TargetServer.StartAsync();
        target.Respond("/t", new TargetResponse(201, "created"));
        await using var bot = await StartBotAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var alice = await WebChatPage.JoinAsync(await chromium.NewPageAsync(), bot.BaseUri, "Alice", "ops");
        var bob = await WebChatPage.JoinAsync(await chromium.Context.NewPageAsync(), bot.BaseUri, "Bob", "ops");
        var passed = false;
        try
        {
            await alice.SendAsync($"1. http.request url={target.Url("/t")} method=POST");

            // Alice asked, so she may not approve: her card says so and has no buttons; Bob's has them.
            var hers = await alice.WaitForCardAsync("Plan awaiting approval", "You can see this plan but not decide on it");
            await Assertions.Expect(WebChatPage.Button(hers, "Approve")).ToHaveCountAsync(0);
            var his = await bob.WaitForCardAsync("Plan awaiting approval", "Requested by");
            await WebChatPage.Button(his, "Approve").ClickAsync();

            await bob.WaitForCardAsync("Run succeeded");
            await alice.WaitForCardAsync("Run succeeded");
            await alice.WaitForCardAsync("approved by Bob");
            Assert.Equal(1, target.HitCount("/t"));
            AssertNoPolicyRefusals(alice);
            AssertNoPolicyRefusals(bob);
            passed = true;
        }
        finally
        {
            await KeepAsync(bot, passed, ("alice", alice), ("bob", bob));
        }
    }

    private static async Task<BotProcess> StartBotAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "botagent-webchat", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return await BotProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Tools:Http:AllowedHosts:0"] = "127.0.0.1",
            ["ConnectionStrings:BotAgent"] = $"Data Source={Path.Combine(folder, "botagent.db")}",
        });
    }

    /// <summary>The page's policy let everything Web Chat needs through: no refusal on the console, no script error.</summary>
    private static void AssertNoPolicyRefusals(WebChatPage page)
    {
        var refused = page.Console.Where(line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || line.StartsWith("pageerror", StringComparison.Ordinal)).ToList();
        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
    }

    private async Task KeepAsync(BotProcess bot, bool passed, params (string Name, WebChatPage Page)[] pages)
    {
        Directory.CreateDirectory(Artifacts);
        foreach (var (name, page) in pages)
        {
            await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, $"{name}{(passed ? "" : "-failed")}.png") });
            await File.WriteAllLinesAsync(Path.Combine(Artifacts, $"{name}-console.txt"), page.Console);
            if (!passed)
                await File.WriteAllTextAsync(Path.Combine(Artifacts, $"{name}-failed.html"), await page.Page.ContentAsync());
        }
        await File.WriteAllTextAsync(Path.Combine(Artifacts, "bot.log"), bot.Output);
        output.WriteLine($"Screenshots, console and the bot's log are in {Artifacts}");
    }
}
