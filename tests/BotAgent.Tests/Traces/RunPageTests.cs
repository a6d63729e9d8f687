using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using BotAgent.Tests.Planning;
using Dapper;

namespace BotAgent.Tests.Traces;

/// <summary>
/// A run with a failing step, retries, a re-plan and two approvals, as the trace viewer shows it: lanes,
/// model calls, attempt bars, approval markers, the plan versions with what changed, every tool call, the
/// verdict, and the same ledger as JSON, with secrets redacted.
/// </summary>
public sealed class RunPageTests
{
    [Fact]
    public async Task Run_page_shows_the_lanes_attempts_markers_plan_diff_and_verdict_of_a_replanned_run()
    {
        await using var s = await ReplannedRunAsync();
        var runId = s.RunId;

        var page = await TracePage.GetAsync(s.Scenario.Bot, $"/runs/{runId}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("""id="lane-planning" """.TrimEnd(), page.Html);
        Assert.Contains("""id="lane-execution" """.TrimEnd(), page.Html);
        Assert.Contains("""<p id="verdict" class="verdict succeeded" data-verdict="succeeded">""", page.Html);

        // Planning lane: both plan versions, the re-plan, and every model call with its tokens and latency.
        Assert.Equal(["1", "2"], page.Attribute("event planning-event plan-version", "data-version"));
        Assert.Contains("""data-type="plan.revision.requested" """.TrimEnd(), page.Html);
        // After the write succeeded the model was asked whether the plan was on track (the test server says "continue").
        Assert.Equal(["plan", "revision", "observe", "summary"], page.Attribute("model-call", "data-purpose"));
        Assert.All(page.Attribute("model-call", "data-input-tokens"), t => Assert.Equal("120", t));
        Assert.All(page.Attribute("model-call", "data-latency-ms"), l => Assert.True(long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) >= 0));
        Assert.Contains("120 input + 60 output tokens", page.Text);

        // Execution lane: one bar per attempt, coloured by outcome, retries marked under their step.
        var bars = page.Bars();
        Assert.Equal(s.Attempts.Select(a => (a.StepId, a.Attempt, a.State)), bars.Select(b => (b.Step, b.Attempt, b.State)));
        Assert.True(s.Attempts.Count(a => a.StepId == "s1") > 1, "The 500s were retried.");
        Assert.All(bars, b => Assert.Equal(b.Attempt > 1, b.Retry));
        Assert.Contains("""<g class="attempt state-failed retry" """.TrimEnd(), page.Html);
        Assert.Contains("""<g class="attempt state-succeeded" """.TrimEnd(), page.Html);

        // Approvals as markers: who, which plan version and hash.
        Assert.Equal(["Bob", "Bob"], page.Attribute("marker approval", "data-approver"));
        Assert.Equal(["1", "2"], page.Attribute("marker approval", "data-plan-version"));
        Assert.Equal(s.PlanHashes, page.Attribute("marker approval", "data-plan-hash"));

        // Plan versions side by side, with what changed.
        Assert.Contains("""<article class="plan" id="plan-v1" """.TrimEnd(), page.Html);
        Assert.Contains("""<article class="plan current" id="plan-v2" """.TrimEnd(), page.Html);
        Assert.Contains("""<div class="plan-diff" data-from="1" data-to="2">""", page.Html);
        Assert.Contains("+ added s2: Open an incident (http.request, write)", page.Text);

        // Every tool call: arguments, result and error.
        Assert.Contains(s.Scenario.Target.Url("/status"), page.Text);
        Assert.Contains("\"method\": \"POST\"", page.Text);
        Assert.Contains("HTTP 500", page.Text);
        Assert.Contains("upstream database unreachable", page.Text);
        Assert.Contains("{\"id\":42}", page.Text);

        // The goal carried the model key; no page shows it.
        Assert.DoesNotContain(ModelScenario.ApiKey, page.Html);
        Assert.Contains("[redacted]", page.Text);
    }

    [Fact]
    public async Task The_json_export_is_the_whole_ledger_with_data_as_json_and_secrets_redacted()
    {
        await using var s = await ReplannedRunAsync();

        var response = await s.Scenario.Bot.GetAsync($"/runs/{s.RunId}.json");
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(ModelScenario.ApiKey, raw);
        var ledger = JsonNode.Parse(raw)!.AsObject();
        Assert.Equal(2, ledger["format"]!.GetValue<int>());
        Assert.Contains(ledger["goal"]!["verdict"]!.GetValue<string>(), new[] { "met", "not_met", "inconclusive" });
        Assert.Equal(s.RunId, ledger["run"]!["id"]!.GetValue<string>());
        Assert.Equal("succeeded", ledger["run"]!["status"]!.GetValue<string>());
        Assert.Equal("succeeded", ledger["verdict"]!.GetValue<string>());
        Assert.Contains("[redacted]", ledger["run"]!["goal"]!.GetValue<string>());
        Assert.Equal(s.PlanHashes, ledger["plans"]!.AsArray().Select(p => p!["hash"]!.GetValue<string>()));
        Assert.Equal("s2", ledger["plans"]![1]!["plan"]!["steps"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(["approve", "approve"], ledger["decisions"]!.AsArray().Select(d => d!["verb"]!.GetValue<string>()));
        var attempts = ledger["attempts"]!.AsArray();
        Assert.Equal(s.Attempts.Count, attempts.Count);
        Assert.Equal("POST", attempts.Last()!["args"]!["method"]!.GetValue<string>());
        Assert.Equal("failed", attempts[0]!["state"]!.GetValue<string>());
        Assert.Equal("HTTP 500 Internal Server Error", attempts[0]!["error"]!.GetValue<string>());
        var events = ledger["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Contains(events, e => e["lane"]!.GetValue<string>() == "planning" && e["type"]!.GetValue<string>() == "model.call"
            && e["data"]!["inputTokens"]!.GetValue<int>() == 120);
        Assert.Contains(events, e => e["lane"]!.GetValue<string>() == "execution" && e["type"]!.GetValue<string>() == "run.finished");
    }

    [Fact]
    public async Task An_unknown_run_is_404_as_a_page_and_as_json()
    {
        await using var s = await BotScenario.StartAsync();

        var page = await TracePage.GetAsync(s.Bot, "/runs/no-such-run");
        var json = await s.Bot.GetAsync("/runs/no-such-run.json");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("There is no run", page.Text);
        Assert.Contains(">no-such-run<", page.Html);
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// The model plans one read (which fails with 500s, retried), then revises with a write that needs a new
    /// approval; Bob approves both versions; the write succeeds.
    /// </summary>
    private static async Task<ReplannedRun> ReplannedRunAsync()
    {
        var s = await ModelScenario.StartAsync();
        try
        {
            var (status, _) = s.ScriptIncidentReplan();

            var card = await s.PostGoalAsync(BotScenario.Alice, $"Check {status} (key {ModelScenario.ApiKey}) and open an incident if it is down");
            await s.ClickAsync(BotScenario.Bob, card, "approve");
            var revised = await s.WaitForPlanCardAsync(card.GoalId, 2);
            await s.ClickAsync(BotScenario.Bob, revised, "approve");
            await s.WaitForReplyAsync(card.GoalId, "Run succeeded");

            using var db = s.Bot.OpenDatabase();
            var runId = card.ButtonData("approve")["runId"]!.GetValue<string>();
            var hashes = (await db.QueryAsync<string>("SELECT hash FROM plan_versions ORDER BY version")).ToList();
            var attempts = (await db.QueryAsync<(string StepId, int Attempt, string State)>("SELECT step_id, attempt, state FROM step_attempts ORDER BY id")).ToList();
            return new ReplannedRun(s, runId, hashes, attempts);
        }
        catch
        {
            await s.DisposeAsync();
            throw;
        }
    }

    private sealed record ReplannedRun(ModelScenario Scenario, string RunId, IReadOnlyList<string> PlanHashes, IReadOnlyList<(string StepId, int Attempt, string State)> Attempts) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Scenario.DisposeAsync();
    }
}
