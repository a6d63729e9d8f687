using BotAgent.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BotAgent.Playground.Tests;

/// <summary>
/// The runs dashboard as a person sees it: the real bot over a store filled with known counts (<see cref="DashboardSeed"/>),
/// its clock on the seed's last day; headless Chromium opens <c>/runs?days=7</c> and finds those numbers in the charts'
/// bars, titles and text, drawn to scale, then switches the period with a link.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "dashboard");

    [ChromiumFact]
    public async Task The_dashboard_shows_the_known_counts_of_the_store_as_charts_and_text()
    {
        if (Directory.Exists(Artifacts))
            Directory.Delete(Artifacts, recursive: true);
        Directory.CreateDirectory(Artifacts);
        using var folder = new TempFolder("botagent-dashboard");
        var database = Path.Combine(folder.Path, "botagent.db");
        await DashboardSeed.WriteAsync(database);
        await using var bot = await BotUnderTest.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={database}" },
            builder => builder.Services.AddSingleton<TimeProvider>(new ShiftedClock(DashboardSeed.Today)));

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var passed = false;
        try
        {
            var response = await page.GotoAsync(new Uri(bot.BaseUri, "runs?days=7").ToString());
            Assert.Equal(200, response!.Status);
            // No script on the page, and none allowed: default-src 'none' with no script-src to widen it.
            var policy = (await response.AllHeadersAsync())["content-security-policy"];
            Assert.StartsWith("default-src 'none';", policy);
            Assert.DoesNotContain("script-src", policy);
            await Assertions.Expect(page.Locator("script")).ToHaveCountAsync(0);

            await Assertions.Expect(page.Locator("#dashboard-period")).ToHaveTextAsync(" · 2031-05-14 to 2031-05-20, UTC days");
            await AssertRunsAsync(page);
            await AssertWaitsAsync(page);
            await AssertToolsAndTokensAsync(page);

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-7.png"), FullPage = true });
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Period" }).GetByRole(AriaRole.Link, new() { Name = "30 days" }).ClickAsync();
            await page.WaitForURLAsync("**/runs?days=30");
            await Assertions.Expect(page.Locator("#chart-runs-summary")).ToHaveTextAsync("7 runs: 3 met, 1 not met, 1 inconclusive, 2 without a verdict.");
            await Assertions.Expect(page.Locator("#chart-runs g.day")).ToHaveCountAsync(30);
            await Assertions.Expect(page.Locator("#chart-runs g.day[data-day='2031-05-13']")).ToHaveAttributeAsync("data-met", "1");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "30 days" })).ToHaveAttributeAsync("aria-current", "page");

            var refused = await page.GotoAsync(new Uri(bot.BaseUri, "runs?days=365").ToString());
            Assert.Equal(400, refused!.Status);
            Assert.Contains("days must be a whole number of days from 1 to 90", await refused.TextAsync());
            passed = true;
        }
        finally
        {
            output.WriteLine($"Screenshots and page HTML are in {Artifacts}");
            await File.WriteAllTextAsync(Path.Combine(Artifacts, "dashboard.html"), await page.ContentAsync());
            if (!passed)
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "failed.png"), FullPage = true });
        }
    }

    private static async Task AssertRunsAsync(IPage page)
    {
        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Runs per day by goal verdict" });
        await Assertions.Expect(chart).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chart-runs-summary")).ToHaveTextAsync("6 runs: 2 met, 1 not met, 1 inconclusive, 2 without a verdict.");
        await Assertions.Expect(page.Locator("#chart-runs g.day")).ToHaveCountAsync(7);
        var busy = page.Locator("#chart-runs g.day[data-day='2031-05-18']");
        await Assertions.Expect(busy.Locator("title")).ToHaveTextAsync("2031-05-18: 4 runs — 2 met, 1 not met, 0 inconclusive, 1 without a verdict");
        await Assertions.Expect(busy.Locator("text.value")).ToHaveTextAsync("4");
        var quiet = page.Locator("#chart-runs g.day[data-day='2031-05-19']");
        await Assertions.Expect(quiet).ToHaveAttributeAsync("data-runs", "0");
        await Assertions.Expect(quiet.Locator("rect")).ToHaveCountAsync(0);
        var last = page.Locator("#chart-runs g.day[data-day='2031-05-20']");
        await Assertions.Expect(last.Locator("title")).ToHaveTextAsync("2031-05-20: 2 runs — 0 met, 0 not met, 1 inconclusive, 1 without a verdict");
        await Assertions.Expect(page.Locator("#chart-runs .legend-item[data-kind='not-met']")).ToHaveTextAsync("not met 1");

        // Drawn to scale: two met runs stand twice as tall as one not met, and the bar has width.
        var met = await busy.Locator("rect.met").BoundingBoxAsync();
        var notMet = await busy.Locator("rect.not-met").BoundingBoxAsync();
        Assert.True(met is { Width: > 10 } && notMet is not null, $"The bars are {met?.Width}×{met?.Height} and {notMet?.Width}×{notMet?.Height}.");
        Assert.InRange(met!.Height / notMet!.Height, 1.9, 2.1);
    }

    private static async Task AssertWaitsAsync(IPage page)
    {
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Time from plan card to decision, p50 and p95 per day" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chart-waits-summary")).ToHaveTextAsync("4 decisions: p50 2 min 0 s, p95 10 min 0 s.");
        var day = page.Locator("#chart-waits g.day[data-day='2031-05-18']");
        await Assertions.Expect(day.Locator("title")).ToHaveTextAsync("2031-05-18: 4 decisions, p50 2 min 0 s, p95 10 min 0 s");
        var p50 = await day.Locator("rect.p50").BoundingBoxAsync();
        var p95 = await day.Locator("rect.p95").BoundingBoxAsync();
        Assert.InRange(p95!.Height / p50!.Height, 4.9, 5.1);
        await Assertions.Expect(page.Locator("#chart-waits g.axis text")).ToHaveTextAsync(["0", "5 min", "10 min"]);
        await Assertions.Expect(page.Locator("#chart-waits g.day[data-day='2031-05-20'] title")).ToHaveTextAsync("2031-05-20: no decisions");
        await Assertions.Expect(page.Locator("#dashboard-numbers tr[data-day='2031-05-18']")).ToContainTextAsync("2 min 0 s");
    }

    private static async Task AssertToolsAndTokensAsync(IPage page)
    {
        var tools = page.Locator("#chart-tools g.tool");
        await Assertions.Expect(tools).ToHaveCountAsync(2);
        await Assertions.Expect(tools.Nth(0)).ToHaveAttributeAsync("data-tool", "http.get");
        await Assertions.Expect(tools.Nth(0).Locator("text.value")).ToHaveTextAsync("50% · 2 of 4 attempts failed");
        await Assertions.Expect(tools.Nth(1).Locator("text.value")).ToHaveTextAsync("0% · 0 of 2 attempts failed");
        var failed = await tools.Nth(0).Locator("rect.failed").BoundingBoxAsync();
        var track = await tools.Nth(0).Locator("rect").First.BoundingBoxAsync();
        Assert.InRange(failed!.Width / track!.Width, 0.49, 0.51);

        await Assertions.Expect(page.Locator("#chart-runs g.axis text")).ToHaveTextAsync(["0", "2.5", "5"]);
        await Assertions.Expect(page.Locator("#chart-tokens-summary")).ToHaveTextAsync("2,150 tokens in 3 model calls (1,800 input, 350 output).");
        await Assertions.Expect(page.Locator("#chart-tokens g.day[data-day='2031-05-18'] text.value")).ToHaveTextAsync("1.8k");
        await Assertions.Expect(page.Locator("#chart-tokens g.day[data-day='2031-05-20'] title"))
            .ToHaveTextAsync("2031-05-20: 1 model call, 300 input + 50 output tokens");
    }
}
