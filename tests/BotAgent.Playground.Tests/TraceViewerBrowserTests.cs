using System.Text.Json.Nodes;
using BotAgent.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BotAgent.Playground.Tests;

/// <summary>
/// The trace viewer as a person sees it: the real bot plans through the loopback model server, a step fails
/// (retried), the model revises the plan, both versions are approved in a test channel; then headless Chromium
/// opens <c>/runs</c>, follows the link to the run and finds the lanes, markers, verdict and plan diff drawn.
/// The run page's screenshot is kept in the test output (and is the README's picture).
/// </summary>
public sealed class TraceViewerBrowserTests(ITestOutputHelper output)
{
    /// <summary>Set to 1 to refresh <c>docs/run-page.png</c> from this test's screenshot.</summary>
    public const string UpdateDocsVariable = "BOTAGENT_TEST_UPDATE_DOCS";

    private static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "trace-viewer-run");

    [ChromiumFact]
    public async Task A_replanned_run_is_drawn_as_lanes_with_markers_verdict_and_plan_diff()
    {
        if (Directory.Exists(Artifacts))
            Directory.Delete(Artifacts, recursive: true);
        Directory.CreateDirectory(Artifacts);

        await using var channel = await TestChannelServer.StartAsync();
        await using var target = await TargetServer.StartAsync();
        await using var model = await TestModelServer.StartAsync();
        target.Respond("/status", new TargetResponse(503, "upstream database unreachable"));
        target.Respond("/incidents", new TargetResponse(201, "{\"id\":42}", "application/json"));
        Script(model, target.Url("/status"), target.Url("/incidents"));
        await using var bot = await BotUnderTest.StartAsync(new Dictionary<string, string?>
        {
            ["Tools:Http:AllowedHosts:0"] = "127.0.0.1",
            ["Planner:Provider"] = "OpenAI",
            ["OpenAI:BaseUrl"] = model.OpenAIBaseUrl,
            ["OpenAI:Model"] = "gpt-4o-mini",
            ["OpenAI:ApiKey"] = "sk-test-trace-viewer",
        });
        var runId = await RunToTheEndAsync(bot, channel, target.Url("/status"));

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var passed = false;
        try
        {
            await page.GotoAsync(new Uri(bot.BaseUri, "runs").ToString());
            var row = page.Locator($"tr.run[data-run-id='{runId}']");
            await Assertions.Expect(row).ToContainTextAsync("succeeded");
            await Assertions.Expect(row).ToContainTextAsync("Alice");
            await row.GetByRole(AriaRole.Link).ClickAsync();
            await page.WaitForURLAsync($"**/runs/{runId}");

            await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "succeeded");
            await Assertions.Expect(page.Locator("#lane-planning")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#lane-execution")).ToBeVisibleAsync();
            // plan, revision, the look at the write's result ("continue"), summary
            await Assertions.Expect(page.Locator("#lane-planning g.model-call")).ToHaveCountAsync(4);
            await Assertions.Expect(page.Locator("#goal-verdict")).ToHaveAttributeAsync("data-goal", "met");
            await Assertions.Expect(page.Locator("#lane-planning g.plan-version")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#lane-execution g.attempt.state-failed")).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("#lane-execution g.attempt.retry")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#lane-execution g.attempt.state-succeeded")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("g.marker.approval")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("g.marker.approval").First).ToHaveAttributeAsync("data-approver", "Bob");
            await Assertions.Expect(page.Locator(".plan-diff")).ToContainTextAsync("+ added s2: Open an incident (http.request, write)");
            await Assertions.Expect(page.Locator("#attempts")).ToContainTextAsync("HTTP 503");

            // Drawn, not just present: the lanes span the chart and the bars have width.
            var lane = await page.Locator("#lane-execution").BoundingBoxAsync();
            Assert.True(lane is { Width: > 800, Height: > 60 }, $"The execution lane is {lane?.Width}×{lane?.Height}.");
            var bar = await page.Locator("#lane-execution g.attempt rect").First.BoundingBoxAsync();
            Assert.True(bar is { Width: >= 3, Height: > 10 }, $"An attempt bar is {bar?.Width}×{bar?.Height}.");

            var path = Path.Combine(Artifacts, "run-page.png");
            var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            Assert.True(screenshot.Length > 20_000, $"The screenshot is only {screenshot.Length} bytes.");
            Assert.True(Screenshot.DistinctColours(screenshot) > 16, "The screenshot is (nearly) a single colour.");
            KeepForReadme(path);
            passed = true;
        }
        finally
        {
            output.WriteLine($"Screenshots and page HTML are in {Artifacts}");
            await File.WriteAllTextAsync(Path.Combine(Artifacts, "run-page.html"), await page.ContentAsync());
            if (!passed)
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "failed.png"), FullPage = true });
        }
    }

    /// <summary>Plan: one read. Revision after it fails: a write. Summary: a sentence.</summary>
    private static void Script(TestModelServer model, string status, string incidents) => model.Responder = request => request.Purpose switch
    {
        ModelPurpose.Plan => ModelReply.Completion(Plan("Check the status page", "The status page answers 2xx or an incident is open.",
            Step("s1", "Fetch the status page", "http.get", new JsonObject { ["url"] = status }, "read_only")), promptTokens: 812, completionTokens: 96),
        ModelPurpose.Revision => ModelReply.Completion(Plan("Check the status page", "An incident is open.",
            Step("s2", "Open an incident", "http.request", new JsonObject { ["url"] = incidents, ["method"] = "POST", ["body"] = "status page down" }, "write")),
            promptTokens: 1290, completionTokens: 118),
        ModelPurpose.Summary => ModelReply.Completion(
            """{"summary": "The status page kept failing [s1], so incident 42 was opened [s2].", "verdict": "met", "reason": "incident 42 is open", "evidence": ["s2"]}""",
            promptTokens: 640, completionTokens: 31),
        _ => null,
    };

    /// <summary>Alice asks; Bob approves the plan, then the revision; returns the run id once it succeeded.</summary>
    private static async Task<string> RunToTheEndAsync(BotUnderTest bot, TestChannelServer channel, string status)
    {
        var activities = new Activities(channel.ServiceUrl, "emulator", "conv-trace");
        var alice = Activities.User("user-alice", "Alice", "aad-alice");
        var bob = Activities.User("user-bob", "Bob", "aad-bob");
        var goal = activities.Message(alice, $"Check {status} and open an incident if it is down");
        await bot.PostActivityAsync(goal);
        var goalId = goal["id"]!.GetValue<string>();

        var first = await PlanCardAsync(channel, goalId, "Plan: v1 ·");
        await bot.PostActivityAsync(activities.Submit(bob, ApproveData(first.Card!), first.AssignedId!));
        var second = await PlanCardAsync(channel, goalId, "Plan: v2 ·");
        await bot.PostActivityAsync(activities.Submit(bob, ApproveData(second.Card!), second.AssignedId!));
        await channel.WaitForAsync(c => c.IsPost && c.ActivityId == goalId && c.CardText.Contains("Run succeeded", StringComparison.Ordinal), what: "the run's summary");
        return ApproveData(first.Card!)["runId"]!.GetValue<string>();
    }

    private static async Task<ConnectorCall> PlanCardAsync(TestChannelServer channel, string goalId, string text) =>
        (await channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goalId && c.CardText.Contains(text, StringComparison.Ordinal), what: $"the plan card saying '{text}'"))[0];

    private static JsonObject ApproveData(JsonObject card) =>
        CardTexts.Actions(card).Single(a => a["data"]?["verb"]?.GetValue<string>() == "approve")["data"]!.AsObject();

    private static JsonObject Step(string id, string title, string tool, JsonObject args, string risk) =>
        new() { ["id"] = id, ["title"] = title, ["tool"] = tool, ["args"] = args, ["risk"] = risk };

    private static string Plan(string goal, string successCriteria, JsonObject step) => new JsonObject
    {
        ["goal"] = goal,
        ["steps"] = new JsonArray(step),
        ["riskLevel"] = step["risk"]!.GetValue<string>(),
        ["successCriteria"] = successCriteria,
    }.ToJsonString();

    /// <summary>
    /// The README shows this test's screenshot. It is written into the source tree only when missing or when
    /// asked, so that running the tests does not leave a changed picture behind every time.
    /// </summary>
    private void KeepForReadme(string screenshot)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "BotAgent.sln")))
            root = root.Parent;
        if (root is null)
            return;
        var docs = Path.Combine(root.FullName, "docs", "run-page.png");
        if (File.Exists(docs) && Environment.GetEnvironmentVariable(UpdateDocsVariable) != "1")
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
        File.Copy(screenshot, docs, overwrite: true);
        output.WriteLine($"Copied the screenshot to {docs}");
    }
}
