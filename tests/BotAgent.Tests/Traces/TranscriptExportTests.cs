using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using BotAgent.Tests.Slack;
using Dapper;

namespace BotAgent.Tests.Traces;

/// <summary>
/// <c>export --run &lt;id&gt; --format transcript</c>: the run's conversation as a Bot Framework .transcript file (a JSON
/// array of activities, as the Emulator's Open Transcript reads them), in order, with final card states, redacted.
/// </summary>
public sealed class TranscriptExportTests
{
    private const string Secret = "Zq8vN3xT5wLm2pRk7Yd";

    [Fact]
    public async Task A_bot_framework_run_is_written_as_its_activities_in_order_with_the_cards_final_state()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/ok", new TargetResponse(200, "fine"));
        // Another run in the same conversation is not this run's story.
        var other = await s.PostGoalAsync(BotScenario.Bob, $"check {s.Target.Url("/other")}");
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/ok?key=" + Secret)}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
        await s.WaitForReplyAsync(card, "Run succeeded");
        await s.WaitForCardAsync(card, "Plan succeeded");
        var runId = card.ButtonData("approve")["runId"]!.GetValue<string>();

        var transcript = await ExportAsync(s.Bot, runId);

        var activities = transcript.Select(a => a!.AsObject()).ToList();
        Assert.All(activities, a => Assert.Equal("message", a["type"]!.GetValue<string>()));
        Assert.All(activities, a => Assert.NotNull(a["timestamp"]));
        var sides = activities.Select(a => a["from"]!["role"]!.GetValue<string>()).ToList();
        // The goal, the plan card, the click, the step result, the summary.
        Assert.Equal(["user", "bot", "user", "bot", "bot"], sides);
        Assert.Equal(card.GoalId, activities[0]["id"]!.GetValue<string>());
        Assert.Equal("Alice", activities[0]["from"]!["name"]!.GetValue<string>());
        Assert.Equal(card.ActivityId, activities[1]["id"]!.GetValue<string>());
        // The plan card as it ends, not as it was first posted.
        Assert.Contains("Plan succeeded", CardTexts.Of(activities[1]["attachments"]![0]!["content"]));
        AdaptiveCardSchema.AssertValid(activities[1]["attachments"]![0]!["content"]!.AsObject());
        Assert.Equal("approve", activities[2]["value"]!["verb"]!.GetValue<string>());
        Assert.Equal("Bob", activities[2]["from"]!["name"]!.GetValue<string>());
        Assert.Contains("Run succeeded", CardTexts.Of(activities[4]["attachments"]![0]!["content"]));
        var text = transcript.ToJsonString();
        Assert.DoesNotContain(Secret, text);
        Assert.Contains("/ok?key=", text);
        Assert.DoesNotContain("/other", text);
        Assert.NotEqual(other.ActivityId, activities[1]["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_slack_run_is_written_as_message_activities_with_slacks_payloads()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/health")}>");
        await s.ClickAsync(SlackScenario.Bob, plan, "approve");
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");
        await s.WaitForPlanTextAsync(plan, "Plan succeeded");
        using var db = s.Bot.OpenDatabase();
        var runId = await db.QuerySingleAsync<string>("SELECT id FROM runs");

        var transcript = await ExportAsync(s.Bot, runId);

        var activities = transcript.Select(a => a!.AsObject()).ToList();
        Assert.Equal(["user", "bot", "user", "bot", "bot"], activities.Select(a => a["from"]!["role"]!.GetValue<string>()));
        Assert.All(activities, a => Assert.Equal("slack", a["channelId"]!.GetValue<string>()));
        Assert.Equal(SlackScenario.Alice, activities[0]["from"]!["id"]!.GetValue<string>());
        Assert.Contains(s.Target.Url("/health"), activities[0]["text"]!.GetValue<string>());
        Assert.Equal("event_callback", activities[0]["channelData"]!["type"]!.GetValue<string>());
        Assert.Equal("(clicked approve)", activities[2]["text"]!.GetValue<string>());
        Assert.Equal(plan.Ts, activities[1]["id"]!.GetValue<string>());
        Assert.Contains("Plan succeeded", CardTexts.Of(activities[1]["attachments"]![0]!["content"]));
        // Slack's legacy verification token is a credential-named field: redacted like every export.
        Assert.DoesNotContain("legacy-verification-token", transcript.ToJsonString());
    }

    [Theory]
    [InlineData("export --from 2026-01-01 --format transcript")]
    [InlineData("export --run abc --format html")]
    public async Task A_transcript_is_of_one_run_in_a_known_format(string command)
    {
        Assert.Equal(2, await BotAgentCommands.TryRunAsync(command.Split(' ')));
    }

    [Fact]
    public async Task The_transcript_of_an_unknown_run_fails_and_writes_no_file()
    {
        await using var s = await BotScenario.StartAsync();
        var file = Path.Combine(s.Bot.Directory, "none.transcript");

        Assert.Equal(1, await BotAgentCommands.TryRunAsync(["export", "--run", "no-such-run", "--format", "transcript", "--out", file, $"--ConnectionStrings:BotAgent=Data Source={s.Bot.DatabasePath}"]));
        Assert.False(File.Exists(file));
    }

    private static async Task<JsonArray> ExportAsync(BotUnderTest bot, string runId)
    {
        var file = Path.Combine(bot.Directory, runId + ".transcript");
        Assert.Equal(0, await BotAgentCommands.TryRunAsync(["export", "--run", runId, "--format", "transcript", "--out", file,
            $"--ConnectionStrings:BotAgent=Data Source={bot.DatabasePath}", $"--Demo:ApiKey={Secret}"]));
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "a .transcript file has no byte-order mark");
        return Assert.IsType<JsonArray>(JsonNode.Parse(bytes));
    }
}
