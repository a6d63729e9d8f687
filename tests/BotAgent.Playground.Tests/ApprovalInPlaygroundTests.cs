using System.Text.Json.Nodes;
using BotAgent.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BotAgent.Playground.Tests;

/// <summary>
/// The whole product as a person meets it: the real bot on loopback, the real Agents Playground (Teams
/// emulation) talking to it, and headless Chromium typing and clicking in the Playground's page. What the
/// run leaves (screenshot, page HTML, the Playground's traffic log) is kept in the test output folder.
/// </summary>
public sealed class ApprovalInPlaygroundTests(ITestOutputHelper output)
{
    private static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "playground-run");

    [PlaygroundFact]
    public async Task Goal_typed_in_the_Playground_is_planned_approved_by_a_click_and_run_once()
    {
        Prerequisites.EnsurePresent();
        if (Directory.Exists(Artifacts))
            Directory.Delete(Artifacts, recursive: true);
        Directory.CreateDirectory(Artifacts);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        await using var target = await TargetServer.StartAsync();
        target.Respond("/health", new TargetResponse(200, "healthy"));
        var botLog = new BotLog();
        await using var bot = await BotUnderTest.StartAsync(
            new Dictionary<string, string?> { ["Tools:Http:AllowedHosts:0"] = "127.0.0.1", ["Logging:LogLevel:Default"] = "Information" },
            builder => builder.Logging.AddProvider(botLog));
        await using var playground = await PlaygroundProcess.StartAsync(bot.MessagesUri, Path.Combine(Artifacts, "playground"), deadline.Token);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await PlaygroundPage.OpenAsync(await chromium.NewPageAsync(), playground.BaseUri);
        var passed = false;
        try
        {
            // The bot's welcome first: typed while the Playground was still rendering the new conversation, a goal
            // was once cleared from the compose box unsent (CI, under load).
            await page.WaitForCardAsync("Hi, I'm BotAgent.");
            await page.SendAsync($"check {target.Url("/health")}");

            // The card says what each step reaches and expects, and what re-planning may do without asking again.
            var plan = await page.WaitForCardAsync("Plan awaiting approval", $"http.get on {target.BaseUrl}", "expects HTTP 2xx",
                $"If results call for it, BotAgent may add up to 3 read-only steps using http.get on {target.BaseUrl} without asking again");
            Assert.Equal(0, target.HitCount("/health"));
            await plan.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve", Exact = true }).ClickAsync();

            // The step's own result card, then the run's summary (the plan card also ends up saying "HTTP 200").
            await page.WaitForCardAsync("Step 1", "HTTP 200");
            await page.WaitForCardAsync("Run succeeded", "Goal met");
            Assert.Equal(1, target.HitCount("/health"));
            // The plan card was replaced in place (invoke response, then the bot's PUTs): nothing left to click.
            await Assertions.Expect(page.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Approve", Exact = true }))
                .ToHaveCountAsync(0);
            AssertTrafficSucceeded(page.Traffic);

            var screenshot = await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "approved.png") });
            Assert.True(screenshot.Length > 20_000, $"The screenshot is only {screenshot.Length} bytes.");
            Assert.True(Screenshot.DistinctColours(screenshot) > 16, "The screenshot is (nearly) a single colour.");
            passed = true;
        }
        finally
        {
            await KeepForDiagnosticsAsync(page, playground, botLog, passed);
        }
    }

    /// <summary>Every activity and Connector call between the Playground and the bot was answered without error.</summary>
    private static void AssertTrafficSucceeded(IReadOnlyList<string> traffic)
    {
        var exchanges = traffic
            .Select(frame => JsonNode.Parse(frame)?["log"])
            .Where(log => log?["activityName"] is not null && log["response"]?["statusCode"] is not null)
            .Select(log => (
                Name: log!["activityName"]!.GetValue<string>(),
                From: log["from"]?.GetValue<string>() ?? "",
                Status: log["response"]!["statusCode"]!.GetValue<int>()))
            .ToList();
        var failed = exchanges.Where(e => e.Status >= 400).Select(e => $"{e.Name} from {e.From}: {e.Status}").ToList();
        Assert.True(failed.Count == 0, "Failed exchanges: " + string.Join(", ", failed));
        Assert.Contains(exchanges, e => e.Name == "invoke" && e.Status == 200);
    }

    private async Task KeepForDiagnosticsAsync(PlaygroundPage page, PlaygroundProcess playground, BotLog botLog, bool passed)
    {
        await File.WriteAllLinesAsync(Path.Combine(Artifacts, "traffic.jsonl"), page.Traffic);
        await File.WriteAllTextAsync(Path.Combine(Artifacts, "playground-output.txt"), playground.Output);
        await File.WriteAllLinesAsync(Path.Combine(Artifacts, "bot.log"), botLog.Lines);
        output.WriteLine($"Screenshot, traffic, the bot's and the Playground's logs are in {Artifacts}");
        if (passed)
            return;
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "failed.png") });
        await page.SaveHtmlAsync(Path.Combine(Artifacts, "failed.html"));
    }
}
