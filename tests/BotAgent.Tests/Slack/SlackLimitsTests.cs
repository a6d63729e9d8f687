using BotAgent.Testing;

namespace BotAgent.Tests.Slack;

/// <summary>Whatever a run produces, every message stays within Slack's Block Kit limits (the test Slack refuses the rest).</summary>
public sealed class SlackLimitsTests
{
    [Fact]
    public async Task A_100_step_plan_fits_in_one_message_and_points_to_the_trace()
    {
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?> { ["Policy:MaxSteps"] = "100" });
        var steps = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"{i}. http.get <{s.Target.Url("/status/" + i + "?" + new string('q', 100))}>"));

        var plan = await s.PostGoalAsync(SlackScenario.Alice, steps);

        var message = s.Slack.Message(plan.Ts)!;
        Assert.True(message.Blocks.Count <= BlockKitRules.MaxBlocks);
        Assert.True(BlockKitRules.TextLength(message.Blocks) <= BlockKitRules.MaxBlocksText);
        Assert.Contains("*1.* http.get " + s.Target.Url("/status/1"), message.BlockText);
        Assert.Matches(@"… \d+ more step\(s\) not shown \(full plan in the trace: run [0-9a-f]{32}\)", message.BlockText);
        Assert.Equal(["approve", "reject"], message.Buttons.Select(b => b["action_id"]!.GetValue<string>()));
        Assert.All(s.Slack.Calls, c => Assert.True(c.Ok, $"{c.Method} failed: {c.Error}"));

        // The update after a decision stays within the limits too.
        await s.ClickAsync(SlackScenario.Bob, plan, "reject");
        var rejected = await s.WaitForPlanTextAsync(plan, "Plan rejected");
        Assert.Contains("more step(s) not shown", rejected.BlockText);
        Assert.All(s.Slack.Calls, c => Assert.True(c.Ok, $"{c.Method} failed: {c.Error}"));
    }

    [Fact]
    public async Task A_100_KB_output_is_cut_in_the_thread_with_a_pointer_to_the_trace()
    {
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?> { ["Reporting:MaxOutputChars"] = "8000" });
        var big = string.Concat(Enumerable.Repeat("{\"metric\":\"latency_ms\",\"value\":42,\"note\":\"<&>\"}\n", 2100));
        Assert.True(big.Length > 100_000);
        s.Target.Respond("/big", new TargetResponse(200, big, "application/json"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/big")}>");

        await s.ClickAsync(SlackScenario.Bob, plan, "approve");

        var step = (await s.WaitForReplyAsync(plan.GoalTs, "Step 1")).Single();
        Assert.Contains("```{\"metric\":\"latency_ms\",\"value\":42,\"note\":\"&lt;&amp;&gt;\"}", step.BlockText);
        Assert.Matches(@"… \(full output in the trace: run [0-9a-f]{32}\)", step.BlockText);
        Assert.True(BlockKitRules.TextLength(step.Blocks) <= BlockKitRules.MaxBlocksText);
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");
        Assert.All(s.Slack.Calls, c => Assert.True(c.Ok, $"{c.Method} failed: {c.Error}"));
    }
}
