using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Security;

/// <summary>
/// The card shows each step's effective risk (what policy computed), never the risk a planner declared: a typed
/// <c>http.request method=POST</c> step is a write on its own line, and the stored plan (which the plan hash covers)
/// says so too, with the step's target.
/// </summary>
public sealed class CardRiskTests
{
    [Fact]
    public async Task A_post_step_shows_write_on_its_line_and_its_target_and_is_stored_as_a_write()
    {
        await using var s = await BotScenario.StartAsync();

        var card = await s.PostGoalAsync(BotScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST body=\"disk full\"");

        var line = card.Text.Split('\n').Single(l => l.StartsWith("http.request on ", StringComparison.Ordinal));
        Assert.EndsWith(" · write", line, StringComparison.Ordinal);
        Assert.StartsWith($"http.request on {s.Target.BaseUrl} · ", line, StringComparison.Ordinal);
        Assert.Contains("Risk: write", card.Text, StringComparison.Ordinal);
        using var db = s.Bot.OpenDatabase();
        var stored = await db.QuerySingleAsync<string>("SELECT plan_json FROM plan_versions");
        Assert.Contains("\"risk\":\"write\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"risk\":\"read_only\"", stored[stored.IndexOf("\"steps\"", StringComparison.Ordinal)..stored.IndexOf("\"riskLevel\"", StringComparison.Ordinal)], StringComparison.Ordinal);
    }
}
