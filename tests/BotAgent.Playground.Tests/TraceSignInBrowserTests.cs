using System.Text.Json.Nodes;
using BotAgent.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BotAgent.Playground.Tests;

/// <summary>
/// Signing in to the trace pages with Entra ID as a person does it: headless Chromium opens a run's page on the
/// real bot (loopback access off, as behind a proxy), is sent to the loopback OpenID provider, comes back signed
/// in, and sees the run if a member of the allowed group, a 403 page if not. Screenshots are kept in the test output.
/// </summary>
public sealed class TraceSignInBrowserTests(ITestOutputHelper output)
{
    private const string Group = "5d1c7a9e-0f3b-4c2d-9e8f-7a6b5c4d3e2f";

    private static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "trace-sign-in-run");

    [ChromiumFact]
    public async Task Not_signed_in_a_member_of_the_group_is_sent_to_sign_in_and_lands_on_the_run_asked_for()
    {
        await using var s = await SignInScenario.StartAsync(Group);
        s.Entra.NextUser = TestEntraUser.Alice(Group);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var asked = new Uri(s.Bot.BaseUri, $"runs/{s.RunId}").ToString();

        await KeepAsync(page, "member", async () =>
        {
            var response = await page.GotoAsync(asked);

            Assert.Equal(200, response!.Status);
            Assert.Equal(asked, page.Url);
            // The way there: the page asked for, the provider's sign-in, the bot's callback, the page again.
            var hops = Hops(response.Request);
            Assert.Equal(4, hops.Count);
            Assert.Equal(asked, hops[0]);
            Assert.StartsWith(s.Entra.AuthorizeEndpoint + "?", hops[1], StringComparison.Ordinal);
            Assert.StartsWith(new Uri(s.Bot.BaseUri, "signin-oidc?").ToString(), hops[2], StringComparison.Ordinal);
            Assert.Equal(asked, hops[3]);
            await Assertions.Expect(page.Locator("#verdict")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#lane-planning")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#signed-in")).ToContainTextAsync("Signed in as Alice Example");
            Assert.Empty(s.Entra.TokenErrors);

            // Signed out, the next visit goes to the provider again.
            await page.Locator("#sign-out").ClickAsync();
            await Assertions.Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
            await page.GotoAsync(asked);
            await Assertions.Expect(page.Locator("#verdict")).ToBeVisibleAsync();
            Assert.Equal(2, s.Entra.AuthorizeRequests.Count);
        });
    }

    [ChromiumFact]
    public async Task Signed_in_without_the_group_a_person_sees_a_403_page_and_no_trace()
    {
        await using var s = await SignInScenario.StartAsync(Group);
        s.Entra.NextUser = TestEntraUser.Mallory("0b0b0b0b-0000-4000-8000-000000000000");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var asked = new Uri(s.Bot.BaseUri, $"runs/{s.RunId}").ToString();

        await KeepAsync(page, "not-member", async () =>
        {
            var response = await page.GotoAsync(asked);

            Assert.Equal(403, response!.Status);
            Assert.Equal(asked, page.Url);
            await Assertions.Expect(page.Locator("#not-member")).ToContainTextAsync("Mallory Example");
            await Assertions.Expect(page.Locator("#not-member")).ToContainTextAsync("not in a group or app role that may see");
            await Assertions.Expect(page.Locator("#verdict")).ToHaveCountAsync(0);
            Assert.DoesNotContain(s.RunId, await page.ContentAsync(), StringComparison.Ordinal);
        });
    }

    /// <summary>Runs the checks, then keeps a screenshot and the page's HTML under <see cref="Artifacts"/>.</summary>
    private async Task KeepAsync(IPage page, string name, Func<Task> checks)
    {
        Directory.CreateDirectory(Artifacts);
        try
        {
            await checks();
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, $"{name}.png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(Artifacts, $"{name}.html"), await page.ContentAsync());
            output.WriteLine($"Screenshot and page HTML are in {Artifacts}");
        }
    }

    /// <summary>The addresses the navigation went through, first to last.</summary>
    private static List<string> Hops(IRequest last)
    {
        var hops = new List<string>();
        for (var request = last; request is not null; request = request.RedirectedFrom)
            hops.Insert(0, request.Url);
        return hops;
    }

    /// <summary>The bot with Entra sign-in against the loopback provider, and one run (a plan awaiting approval) to look at.</summary>
    private sealed class SignInScenario : IAsyncDisposable
    {
        private readonly TestChannelServer _channel;
        private readonly TargetServer _target;

        private SignInScenario(TestEntraServer entra, TestChannelServer channel, TargetServer target, BotUnderTest bot, string runId)
        {
            Entra = entra;
            _channel = channel;
            _target = target;
            Bot = bot;
            RunId = runId;
        }

        public TestEntraServer Entra { get; }
        public BotUnderTest Bot { get; }
        public string RunId { get; }

        public static async Task<SignInScenario> StartAsync(string group)
        {
            var entra = await TestEntraServer.StartAsync();
            var channel = await TestChannelServer.StartAsync();
            var target = await TargetServer.StartAsync();
            var settings = entra.Settings(group);
            // As behind a proxy: nobody gets in for being on this machine.
            settings["Traces:LoopbackAccess"] = "false";
            settings["Tools:Http:AllowedHosts:0"] = "127.0.0.1";
            var bot = await BotUnderTest.StartAsync(settings);

            var activities = new Activities(channel.ServiceUrl, "emulator", "conv-sign-in");
            var goal = activities.Message(Activities.User("user-alice", "Alice", "aad-alice"), $"check {target.Url("/status")}");
            await bot.PostActivityAsync(goal);
            var goalId = goal["id"]!.GetValue<string>();
            var card = (await channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.Card is not null, what: "the plan card"))[0];
            var approve = CardTexts.Actions(card.Card!).Single(a => a["data"]?["verb"]?.GetValue<string>() == "approve")["data"]!.AsObject();
            return new SignInScenario(entra, channel, target, bot, approve["runId"]!.GetValue<string>());
        }

        public async ValueTask DisposeAsync()
        {
            await Bot.DisposeAsync();
            await _target.DisposeAsync();
            await _channel.DisposeAsync();
            await Entra.DisposeAsync();
        }
    }
}
