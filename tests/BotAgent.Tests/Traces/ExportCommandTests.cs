using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;

namespace BotAgent.Tests.Traces;

/// <summary><c>BotAgent export</c>: one run, or all runs in a time range, as JSON lines, from the bot's own database.</summary>
public sealed class ExportCommandTests
{
    [Fact]
    public async Task Export_writes_one_run_or_a_time_range_as_json_lines()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/ok", new TargetResponse(200, "fine"));
        var runs = new List<string>();
        foreach (var path in new[] { "/ok", "/ok?second=1" })
        {
            var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url(path)}");
            await s.SubmitAsync(BotScenario.Alice, card, "approve");
            await s.WaitForReplyAsync(card, "Run succeeded");
            runs.Add(card.ButtonData("approve")["runId"]!.GetValue<string>());
        }
        var database = $"--ConnectionStrings:BotAgent=Data Source={s.Bot.DatabasePath}";
        var one = Path.Combine(s.Bot.Directory, "one.jsonl");
        var range = Path.Combine(s.Bot.Directory, "range.jsonl");
        var empty = Path.Combine(s.Bot.Directory, "empty.jsonl");

        Assert.Equal(0, await BotAgentCommands.TryRunAsync(["export", "--run", runs[0], "--out", one, database]));
        Assert.Equal(0, await BotAgentCommands.TryRunAsync(["export", "--from", "2000-01-01", $"--to={DateTimeOffset.UtcNow.AddDays(1):O}", "--out", range, database]));
        Assert.Equal(0, await BotAgentCommands.TryRunAsync(["export", "--to", "2000-01-01T00:00:00Z", "--out", empty, database]));

        var line = Assert.Single(await File.ReadAllLinesAsync(one));
        var ledger = JsonNode.Parse(line)!;
        Assert.Equal(runs[0], ledger["run"]!["id"]!.GetValue<string>());
        Assert.Equal("succeeded", ledger["verdict"]!.GetValue<string>());
        Assert.Equal("http.get", ledger["attempts"]![0]!["tool"]!.GetValue<string>());
        Assert.Contains(ledger["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "run.finished");
        // Newest first, one ledger per line.
        Assert.Equal([runs[1], runs[0]], (await File.ReadAllLinesAsync(range)).Select(l => JsonNode.Parse(l)!["run"]!["id"]!.GetValue<string>()));
        Assert.Empty(await File.ReadAllLinesAsync(empty));
    }

    [Theory]
    [InlineData("export")]
    [InlineData("export --run abc --from 2026-01-01")]
    [InlineData("export --from yesterday")]
    [InlineData("export --run")]
    public async Task Export_refuses_arguments_it_cannot_act_on(string command)
    {
        Assert.Equal(2, await BotAgentCommands.TryRunAsync(command.Split(' ')));
    }

    [Fact]
    public async Task Export_of_an_unknown_run_or_a_missing_database_fails_without_creating_one()
    {
        await using var s = await BotScenario.StartAsync();
        var missing = Path.Combine(s.Bot.Directory, "nothing-here.db");

        Assert.Equal(1, await BotAgentCommands.TryRunAsync(["export", "--run", "no-such-run", $"--ConnectionStrings:BotAgent=Data Source={s.Bot.DatabasePath}", "--out", Path.Combine(s.Bot.Directory, "x.jsonl")]));
        Assert.Equal(2, await BotAgentCommands.TryRunAsync(["export", "--run", "any", $"--ConnectionStrings:BotAgent=Data Source={missing}"]));
        Assert.False(File.Exists(missing));
    }
}
