using System.Net;
using BotAgent.Core.Intake;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;

namespace BotAgent.Tests.Traces;

/// <summary><c>/runs</c>: the newest runs first, filtered by status and goal text, a page at a time; each run's verdict.</summary>
public sealed class RunListTests
{
    [Fact]
    public async Task Runs_are_listed_newest_first_with_filters_by_status_and_text_and_paging()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["Traces:PageSize"] = "2" });
        s.Target.Respond("/ok", new TargetResponse(200, "fine"));
        s.Target.Respond("/bad", new TargetResponse(500, "broken"));
        var succeeded = await FinishAsync(s, $"check {s.Target.Url("/ok")}", "approve", "Run succeeded");
        var failed = await FinishAsync(s, $"check {s.Target.Url("/bad")}", "approve", "Run failed");
        var rejected = await FinishAsync(s, $"check {s.Target.Url("/ok")}?again=1", "reject", null);

        var first = await TracePage.GetAsync(s.Bot, "/runs");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains("""data-total="3" """.TrimEnd(), first.Html);
        Assert.Equal([rejected, failed], first.Attribute("run", "data-run-id"));
        Assert.Equal(["rejected", "failed"], first.Attribute("run", "data-status"));
        Assert.Contains("human rejection", first.Text);
        Assert.Contains("execution failure", first.Text);
        Assert.Contains("Alice", first.Text);
        Assert.Contains("emulator · conv-1", first.Text);
        Assert.Contains("page 1 of 2", first.Text);
        Assert.Contains("""rel="next" href="/runs?page=2" """.TrimEnd(), first.Html);

        var second = await TracePage.GetAsync(s.Bot, "/runs?page=2");
        Assert.Equal([succeeded], second.Attribute("run", "data-run-id"));
        Assert.Contains("read_only", second.Text);

        var byStatus = await TracePage.GetAsync(s.Bot, "/runs?status=failed");
        Assert.Equal([failed], byStatus.Attribute("run", "data-run-id"));
        Assert.Contains("""<option value="failed" selected>""", byStatus.Html);

        // Goal text, ignoring case; LIKE's wildcards match only themselves.
        var byText = await TracePage.GetAsync(s.Bot, "/runs?q=%2FBAD");
        Assert.Equal([failed], byText.Attribute("run", "data-run-id"));
        var both = await TracePage.GetAsync(s.Bot, "/runs?status=rejected&q=AGAIN");
        Assert.Equal([rejected], both.Attribute("run", "data-run-id"));
        var wildcard = await TracePage.GetAsync(s.Bot, "/runs?q=%25");
        Assert.Empty(wildcard.Attribute("run", "data-run-id"));
        Assert.Contains("No runs match.", wildcard.Text);
        var underscore = await TracePage.GetAsync(s.Bot, "/runs?q=check_");
        Assert.Empty(underscore.Attribute("run", "data-run-id"));

        var bogus = await s.Bot.GetAsync("/runs?status=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Contains("awaiting_approval", await bogus.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Run_pages_give_each_end_its_verdict_and_mark_a_rejection()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/bad", new TargetResponse(500, "broken"));
        var failed = await FinishAsync(s, $"check {s.Target.Url("/bad")}", "approve", "Run failed");
        var rejected = await FinishAsync(s, $"check {s.Target.Url("/bad")}?no=1", "reject", null);

        var failedPage = await TracePage.GetAsync(s.Bot, $"/runs/{failed}");
        Assert.Contains("""<p id="verdict" class="verdict execution-failure" data-verdict="execution-failure">""", failedPage.Html);
        Assert.Contains("Execution failure — step s1 failed", failedPage.Text);
        Assert.DoesNotContain("class=\"plan-diff\"", failedPage.Html);
        Assert.Equal(3, failedPage.Bars().Count(b => b.State == "failed"));

        var rejectedPage = await TracePage.GetAsync(s.Bot, $"/runs/{rejected}");
        Assert.Contains("""data-verdict="human-rejection" """.TrimEnd(), rejectedPage.Html);
        Assert.Equal(["Bob"], rejectedPage.Attribute("marker rejection", "data-approver"));
        Assert.Empty(rejectedPage.Attribute("marker approval", "data-approver"));
        Assert.Empty(rejectedPage.Bars());
        Assert.Contains("No tool was called.", rejectedPage.Text);
    }

    [Fact]
    public async Task Runs_that_never_ran_a_step_say_whether_planning_or_policy_stopped_them()
    {
        await using var s = await BotScenario.StartAsync();
        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "make me a sandwich"));
        await s.Bot.PostActivityAsync(s.Activities.Message(BotScenario.Alice, "Tidy up\n1. nosuch.tool x=1"));
        await s.Channel.WaitForAsync(c => c.IsPost && c.CardText.Contains("policy refused it", StringComparison.Ordinal), what: "the policy refusal");
        await s.Channel.WaitForAsync(c => c.IsPost && c.CardText.Contains("could not turn that into a plan", StringComparison.Ordinal), what: "the planning failure");

        var unplanned = Assert.Single((await TracePage.GetAsync(s.Bot, "/runs?q=sandwich")).Attribute("run", "data-run-id"));
        var refused = Assert.Single((await TracePage.GetAsync(s.Bot, "/runs?status=policy_denied")).Attribute("run", "data-run-id"));

        var planning = await TracePage.GetAsync(s.Bot, $"/runs/{unplanned}");
        Assert.Contains("""data-verdict="planning-failure" """.TrimEnd(), planning.Html);
        Assert.Contains("No plan was made.", planning.Text);
        Assert.Contains("""id="lane-execution" """.TrimEnd(), planning.Html);
        var policy = await TracePage.GetAsync(s.Bot, $"/runs/{refused}");
        Assert.Contains("""data-verdict="policy-refusal" """.TrimEnd(), policy.Html);
        Assert.Contains("policy ✗", policy.Text);
        Assert.Contains("nosuch.tool", policy.Text);
    }

    /// <summary>Alice posts the goal, Bob clicks; waits for the reply that ends the run (or the rejected card).</summary>
    private static async Task<string> FinishAsync(BotScenario s, string goal, string verb, string? endReply)
    {
        var card = await s.PostGoalAsync(BotScenario.Alice, goal);
        await s.SubmitAsync(BotScenario.Bob, card, verb);
        if (endReply is null)
            await s.WaitForCardAsync(card, "Plan rejected");
        else
            await s.WaitForReplyAsync(card, endReply);
        return card.ButtonData("approve")["runId"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_count_covers_ten_pages_from_the_one_shown_and_says_there_are_more()
    {
        using var folder = new TempFolder("botagent-runcount");
        var database = Path.Combine(folder.Path, "botagent.db");
        await using (var seed = await LedgerSeed.OpenAsync(database))
        {
            var who = new Member("29:alice", "Alice Example", ProvenBy: "msteams");
            var where = new ConversationKey("botframework", "emulator", "conv-7", "act-1", null).WithAddress(("serviceUrl", "http://localhost:5000"));
            for (var i = 0; i < 25; i++)
                await seed.CreateAsync($"run-{i:D4}", $"check payments {i}", who, where, i);
        }
        await using var bot = await BotUnderTest.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={database}", ["Traces:PageSize"] = "2" });

        // Page size 2: the first page counts ten pages' worth (20 runs) and one more to know there are more.
        var first = await TracePage.GetAsync(bot, "/runs");
        Assert.Contains("""data-total="20" data-more="true" """.TrimEnd(), first.Html);
        Assert.Contains("(20+)", first.Text);
        Assert.Contains("1–2 of 20+ · page 1 of 10+", first.Text);
        Assert.Equal(["run-0024", "run-0023"], first.Attribute("run", "data-run-id"));

        // Page 10 still links on; further on the count reaches the end and is exact again.
        var tenth = await TracePage.GetAsync(bot, "/runs?page=10");
        Assert.Contains("""rel="next" href="/runs?page=11" """.TrimEnd(), tenth.Html);
        var last = await TracePage.GetAsync(bot, "/runs?page=13");
        Assert.Contains("""data-total="25" data-more="false" """.TrimEnd(), last.Html);
        Assert.Contains("25–25 of 25 · page 13 of 13", last.Text);
        Assert.Equal(["run-0000"], last.Attribute("run", "data-run-id"));
        Assert.DoesNotContain("rel=\"next\"", last.Html);

        // Past the last page: sent to the last one, filters kept.
        using var noFollow = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = bot.BaseUri };
        var beyond = await noFollow.GetAsync(new Uri("runs?page=99&q=payments", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, beyond.StatusCode);
        Assert.Equal("/runs?q=payments&page=13", beyond.Headers.Location!.OriginalString);

        // A page number that would overflow the offset is refused, not wrapped round to the newest runs.
        var huge = await bot.GetAsync("/runs?page=2147483647");
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("at most 100,000", await huge.Content.ReadAsStringAsync());

        // A filter is counted the same way: exact when its matches end within reach.
        var filtered = await TracePage.GetAsync(bot, "/runs?q=payments%201");
        Assert.Contains("""data-total="11" data-more="false" """.TrimEnd(), filtered.Html);
    }
}
