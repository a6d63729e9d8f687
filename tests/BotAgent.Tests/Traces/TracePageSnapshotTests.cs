using System.Net;
using System.Text.RegularExpressions;
using BotAgent.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Tests.Traces;

/// <summary>
/// The trace pages, byte for byte, as the real bot serves them over HTTP for seeded runs and for the sign-in
/// pages, against snapshots in Snapshots/. The snapshots were taken before the pages moved to templates, so a
/// change of how pages are made that changes what they say shows here. After a deliberate change of the markup,
/// set BOTAGENT_UPDATE_SNAPSHOTS=1, run these tests once, and review the diff of Snapshots/.
/// </summary>
public sealed partial class TracePageSnapshotTests
{
    private const string Group = "5d1c7a9e-0f3b-4c2d-9e8f-7a6b5c4d3e2f";

    [Fact]
    public async Task Run_list_and_run_pages_are_what_they_were()
    {
        using var folder = new TempFolder("botagent-snapshots");
        var database = Path.Combine(folder.Path, "botagent.db");
        await using (var seed = await LedgerSeed.OpenAsync(database))
            await SeededRuns.WriteAsync(seed);
        await using var bot = await BotUnderTest.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:BotAgent"] = $"Data Source={database}",
            ["Traces:PageSize"] = "4",
        });

        var pages = new (string Name, string Path, HttpStatusCode Status)[]
        {
            ("runs", "/runs", HttpStatusCode.OK),
            ("runs-page-2", "/runs?page=2", HttpStatusCode.OK),
            ("runs-filtered", "/runs?status=succeeded&q=payment", HttpStatusCode.OK),
            ("runs-none", "/runs?status=expired&q=%3Cb%3E%22%26", HttpStatusCode.OK),
            ("run-replanned", $"/runs/{SeededRuns.Replanned}", HttpStatusCode.OK),
            ("run-stopped", $"/runs/{SeededRuns.Stopped}", HttpStatusCode.OK),
            ("run-rejected", $"/runs/{SeededRuns.Rejected}", HttpStatusCode.OK),
            ("run-no-plan", $"/runs/{SeededRuns.NoPlan}", HttpStatusCode.OK),
            ("run-awaiting", $"/runs/{SeededRuns.Awaiting}", HttpStatusCode.OK),
            ("run-hostile", $"/runs/{SeededRuns.Hostile}", HttpStatusCode.OK),
            ("run-unknown", "/runs/no-such-run%3Cb%3E", HttpStatusCode.NotFound),
        };
        foreach (var (name, path, status) in pages)
        {
            var page = await TracePage.GetAsync(bot, path);
            Assert.True(page.Status == status, $"{name}: {(int)page.Status}");
            AssertSnapshot(name, page.Html);
        }
    }

    /// <summary>
    /// The dashboard over the seeded runs: the bot's clock is an hour after they started, so that they fall in its period
    /// (and nothing they wait for is due). Its numbers are checked in Chromium (the Playground tests); this holds the markup.
    /// </summary>
    [Fact]
    public async Task Dashboard_over_the_seeded_runs_is_what_it_was()
    {
        using var folder = new TempFolder("botagent-snapshots");
        var database = Path.Combine(folder.Path, "botagent.db");
        await using (var seed = await LedgerSeed.OpenAsync(database))
            await SeededRuns.WriteAsync(seed);
        await using var bot = await BotUnderTest.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={database}", ["Traces:PageSize"] = "2" },
            builder => builder.Services.AddSingleton<TimeProvider>(new ShiftedClock(LedgerSeed.Start.AddHours(1))));

        var page = await TracePage.GetAsync(bot, "/runs?days=7");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        AssertSnapshot("runs-dashboard", page.Html);
    }

    [Fact]
    public async Task Sign_in_pages_are_what_they_were()
    {
        await using var entra = await TestEntraServer.StartAsync();
        var settings = entra.Settings(Group);
        settings["Traces:LoopbackAccess"] = "false";
        await using var bot = await BotUnderTest.StartAsync(settings);
        var failing = new Dictionary<string, string?>(settings) { ["Traces:Entra:ClientSecret"] = "not-the-client-secret-0123" };
        await using var refused = await BotUnderTest.StartAsync(failing);

        using (var alice = new CookieBrowser())
        {
            entra.NextUser = TestEntraUser.Alice(Group);
            var (runs, _) = await alice.SignInAsync(new Uri(bot.BaseUri, "runs"));
            await AssertPageAsync("signed-in-runs", runs, HttpStatusCode.OK);
            await AssertPageAsync("sign-out", await alice.Http.GetAsync(new Uri(bot.BaseUri, "runs/sign-out")), HttpStatusCode.OK);
            await AssertPageAsync("signed-out", await alice.Http.PostAsync(new Uri(bot.BaseUri, "runs/sign-out"), null), HttpStatusCode.OK);
        }
        using (var mallory = new CookieBrowser())
        {
            entra.NextUser = TestEntraUser.Mallory("0b0b0b0b-0000-4000-8000-000000000000");
            var (page, _) = await mallory.SignInAsync(new Uri(bot.BaseUri, "runs"));
            await AssertPageAsync("not-member", page, HttpStatusCode.Forbidden);
        }
        using (var failed = new CookieBrowser())
        {
            entra.NextUser = TestEntraUser.Alice(Group);
            var (page, _) = await failed.SignInAsync(new Uri(refused.BaseUri, "runs"));
            await AssertPageAsync("sign-in-failed", page, HttpStatusCode.Forbidden);
        }
    }

    private static async Task AssertPageAsync(string name, HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.True(response.StatusCode == status, $"{name}: {(int)response.StatusCode}");
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            AssertSnapshot(name, await response.Content.ReadAsStringAsync());
        }
    }

    private static void AssertSnapshot(string name, string html)
    {
        // Loopback ports are the only thing that differs between runs (a sign-in failure may name the provider's address).
        html = Port().Replace(html, "127.0.0.1:PORT");
        var file = Path.Combine(SnapshotDirectory(), name + ".html");
        if (Environment.GetEnvironmentVariable("BOTAGENT_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(file, html);
            return;
        }
        Assert.True(File.Exists(file), $"No snapshot {file}; set BOTAGENT_UPDATE_SNAPSHOTS=1 to take it.");
        var expected = File.ReadAllText(file);
        if (expected == html)
            return;
        var at = Enumerable.Range(0, Math.Min(expected.Length, html.Length)).FirstOrDefault(i => expected[i] != html[i], Math.Min(expected.Length, html.Length));
        Assert.Fail($"{name} differs from its snapshot at character {at}:\nexpected …{Around(expected, at)}…\n  actual …{Around(html, at)}…");
    }

    private static string Around(string text, int at) => text[Math.Max(0, at - 80)..Math.Min(text.Length, at + 80)];

    private static string SnapshotDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BotAgent.sln")))
            directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("No BotAgent.sln above " + AppContext.BaseDirectory),
            "tests", "BotAgent.Tests", "Traces", "Snapshots");
    }

    [GeneratedRegex(@"127\.0\.0\.1:\d+")]
    private static partial Regex Port();
}
