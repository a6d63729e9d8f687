using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Channels.Slack;
using BotAgent.Channels.Tests.BotFramework;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Channels.Tests.Slack;

public sealed class SlackBlockRendererTests
{
    /// <summary>The message as chat.postMessage would carry it, checked against Slack's Block Kit rules.</summary>
    private static JsonObject Valid(OutboundView view)
    {
        var message = SlackBlockRenderer.Render(view).ToRequest();
        BlockKitRules.AssertValid(message);
        Assert.False(string.IsNullOrWhiteSpace(message["text"]!.GetValue<string>()));
        return message;
    }

    private static JsonArray Blocks(JsonObject message) => message["blocks"]!.AsArray();

    private static IReadOnlyList<JsonObject> Buttons(JsonObject message) => BlockTexts.Buttons(Blocks(message));

    public static TheoryData<RunStatus, bool> PlanCases()
    {
        var data = new TheoryData<RunStatus, bool>();
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            data.Add(status, true);
            data.Add(status, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PlanCases))]
    public void Plan_in_every_state_keeps_to_Block_Kit_rules(RunStatus status, bool acceptsDecisions)
    {
        var message = Valid(SampleViews.Plan(status, acceptsDecisions));

        Assert.Equal(acceptsDecisions ? ["approve", "reject"] : [], Buttons(message).Select(b => b["action_id"]!.GetValue<string>()));
        Assert.Equal("header", Blocks(message)[0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void A_plan_card_sent_again_says_so_under_its_header_and_only_then()
    {
        var again = BlockTexts.Of(Blocks(Valid(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true) with { SentAgain = true })));
        var once = BlockTexts.Of(Blocks(Valid(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true))));

        Assert.Contains("Sent again: an earlier copy of this card may also have arrived", again);
        Assert.DoesNotContain("Sent again", once);
    }

    [Fact]
    public void Plan_shows_goal_steps_with_tool_and_risk_criteria_approvers_and_carries_run_and_plan_in_its_buttons()
    {
        var message = Valid(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true));
        var text = BlockTexts.Of(Blocks(message));

        Assert.Contains("Plan awaiting approval", text);
        Assert.Contains("Investigate payment API latency spike", text);
        Assert.Contains("`http.get`", text);
        Assert.Contains("url=https://example.com/health", text);
        Assert.Contains("write (makes reversible changes)", text);
        Assert.Contains("*Who may approve*\nAny member of this conversation other than Rita", text);
        Assert.Contains("*Success criteria*\nIdentify the likely cause", text);
        Assert.Contains("*Requested by*\nRita", text);
        Assert.Contains("<!date^", text);
        Assert.Contains("approved by Bob", text);
        Assert.StartsWith("Plan for: Investigate payment API latency spike", message["text"]!.GetValue<string>());

        var approve = Buttons(message)[0];
        var reject = Buttons(message)[1];
        Assert.Equal(("Approve", "primary"), (approve["text"]!["text"]!.GetValue<string>(), approve["style"]!.GetValue<string>()));
        Assert.Equal(("Reject", "danger"), (reject["text"]!["text"]!.GetValue<string>(), reject["style"]!.GetValue<string>()));
        var value = JsonNode.Parse(approve["value"]!.GetValue<string>())!;
        Assert.Equal(SampleViews.RunId, value["runId"]!.GetValue<string>());
        Assert.Equal(SampleViews.PlanHash, value["planHash"]!.GetValue<string>());
        Assert.Null(value["attemptId"]);
    }

    [Fact]
    public void High_risk_Approve_asks_for_confirmation_and_lower_risks_do_not()
    {
        var high = Valid(SampleViews.Plan(RunStatus.AwaitingApproval, true) with { RiskLevel = RiskLevel.High });
        var write = Valid(SampleViews.Plan(RunStatus.AwaitingApproval, true));

        var confirm = Buttons(high).Single(b => b["action_id"]!.GetValue<string>() == "approve")["confirm"]!.AsObject();
        Assert.Equal("Approve a high-risk plan?", confirm["title"]!["text"]!.GetValue<string>());
        Assert.Contains("high risk", confirm["text"]!["text"]!.GetValue<string>());
        Assert.Equal("Approve", confirm["confirm"]!["text"]!.GetValue<string>());
        Assert.Equal("Cancel", confirm["deny"]!["text"]!.GetValue<string>());
        Assert.Null(Buttons(high).Single(b => b["action_id"]!.GetValue<string>() == "reject")["confirm"]);
        Assert.All(Buttons(write), b => Assert.Null(b["confirm"]));
    }

    [Fact]
    public void A_100_step_plan_keeps_to_the_limits_and_points_to_the_trace_for_the_rest()
    {
        var message = Valid(SampleViews.Plan(RunStatus.AwaitingApproval, true, stepCount: 100, titleLength: 300));
        var text = BlockTexts.Of(Blocks(message));

        Assert.True(Blocks(message).Count <= 50);
        Assert.True(BlockKitRules.TextLength(Blocks(message)) <= SlackBlocks.MaxTotalChars);
        Assert.Contains("*1.*", text);
        Assert.DoesNotContain("*100.*", text);
        Assert.Matches(@"… \d+ more step\(s\) not shown \(full plan in the trace: run " + SampleViews.RunId + @"\)", text);
        // The decision buttons and criteria survive however long the plan is.
        Assert.Equal(2, Buttons(message).Count);
        Assert.Contains("Success criteria", text);
    }

    [Fact]
    public void A_100_KB_output_is_cut_to_fit_with_a_pointer_to_the_trace()
    {
        var output = string.Concat(Enumerable.Repeat("line of output <tag> & more ```fence```\n", 2600));
        Assert.True(output.Length > 100_000);

        var message = Valid(SampleViews.Step(StepState.Succeeded, output: output, error: new string('e', 5000)));
        var text = BlockTexts.Of(Blocks(message));

        Assert.Contains("```line of output &lt;tag&gt; &amp; more", text);
        Assert.Contains("… (full output in the trace: run " + SampleViews.RunId + ")", text);
        Assert.True(BlockKitRules.TextLength(Blocks(message)) <= SlackBlocks.MaxTotalChars);
        var code = Blocks(message).Select(b => b!["text"]?["text"]?.GetValue<string>()).Single(t => t?.StartsWith("```", StringComparison.Ordinal) == true)!;
        Assert.Equal(2, code.Split("```").Length - 1);
    }

    [Fact]
    public void An_output_the_reporter_already_cut_also_points_to_the_trace()
    {
        var message = Valid(SampleViews.Step(StepState.Succeeded, output: TextExcerpt.Truncate(new string('x', 5000), 1500)));

        Assert.Contains("full output in the trace", BlockTexts.Of(Blocks(message)));
        Assert.DoesNotContain("full output in the trace", BlockTexts.Of(Blocks(Valid(SampleViews.Step(StepState.Succeeded)))));
    }

    [Theory]
    [InlineData(StepState.Succeeded)]
    [InlineData(StepState.Failed)]
    [InlineData(StepState.TimedOut)]
    [InlineData(StepState.OutcomeUnknown)]
    public void Step_result_shows_tool_result_attempts_duration_and_facts(StepState state)
    {
        var text = BlockTexts.Of(Blocks(Valid(SampleViews.Step(state, error: state == StepState.Succeeded ? null : "connection reset"))));

        Assert.Contains("*Step 3 · GET https://example.com/health*", text);
        Assert.Contains("*Tool*\n`http.get`", text);
        Assert.Contains("*Result*\n" + state.ToWire(), text);
        Assert.Contains("*Attempts*\n2", text);
        Assert.Contains("*latency*\n42 ms", text);
        Assert.Equal(state != StepState.Succeeded, text.Contains("*Error*\nconnection reset", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_message_shows_targets_expectations_the_envelope_why_a_revision_needs_approval_and_the_goal()
    {
        var waiting = BlockTexts.Of(Blocks(Valid(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true))));
        Assert.Contains("`http.get` on https://example.com · url=https://example.com/health · headers={1} · read_only · expects HTTP 2xx", waiting, StringComparison.Ordinal);
        Assert.Contains("If results call for it, BotAgent may add up to 3 read-only steps", waiting, StringComparison.Ordinal);
        Assert.Contains("*Why this needs approval again*", waiting, StringComparison.Ordinal);

        var finished = BlockTexts.Of(Blocks(Valid(SampleViews.Plan(RunStatus.Succeeded, acceptsDecisions: false))));
        Assert.Contains("⚠️ Plan ran; goal not met", finished, StringComparison.Ordinal);
        Assert.Contains("Goal not met: s2 found no matching lines (evidence: s2)", finished, StringComparison.Ordinal);
        Assert.Contains("Goal met: s2 names the cause", BlockTexts.Of(Blocks(Valid(SampleViews.Summary(RunStatus.Succeeded)))), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_texts_everywhere_are_cut_within_each_limit()
    {
        var huge = new string('g', 20_000);
        var plan = SampleViews.Plan(RunStatus.AwaitingApproval, true, stepCount: 30, titleLength: 5000) with
        {
            Goal = huge,
            SuccessCriteria = huge,
            ApproversText = huge,
            StatusLine = huge,
            RequesterName = huge,
            Changes = [.. Enumerable.Range(1, 200).Select(i => $"+ s{i} added: " + huge)],
            Decisions = [.. Enumerable.Range(1, 40).Select(i => new DecisionView(huge[..300], "approved", SampleViews.At))],
            EnvelopeText = huge,
            OutsideEnvelope = [.. Enumerable.Range(1, 50).Select(_ => huge)],
            GoalVerdict = new GoalVerdict(GoalStatus.Inconclusive, huge, [.. Enumerable.Range(1, 300).Select(i => $"s{i}")]),
        };
        Valid(plan);
        Valid(new RunSummaryView(SampleViews.RunId, huge, RunStatus.Failed, huge, [.. Enumerable.Range(1, 500).Select(_ => huge)],
            new GoalVerdict(GoalStatus.NotMet, huge, [.. Enumerable.Range(1, 300).Select(i => $"s{i}")])));
        Valid(new NoticeView(huge, [.. Enumerable.Range(1, 500).Select(_ => huge)], NoticeTone.Error, SampleViews.RunId));
        Valid(SampleViews.Step(StepState.Failed, output: huge, error: huge) with { Title = huge, Summary = huge, Tool = huge });
    }

    [Fact]
    public void Revised_plan_lists_what_changed()
    {
        var plan = SampleViews.Plan(RunStatus.AwaitingApproval, true) with { Changes = ["+ s3 added: GET https://example.com/retry", "- s2 removed"] };

        var text = BlockTexts.Of(Blocks(Valid(plan)));

        Assert.Contains("*What changed since plan v1*\n• + s3 added: GET https://example.com/retry\n• - s2 removed", text);
    }

    [Fact]
    public void What_people_wrote_is_escaped_so_it_cannot_mention_everyone_or_forge_links()
    {
        var plan = SampleViews.Plan(RunStatus.AwaitingApproval, true) with { Goal = "ping <!channel> & <https://evil.example|click me>" };

        var message = Valid(plan);

        Assert.Contains("ping &lt;!channel&gt; &amp; &lt;https://evil.example|click me&gt;", BlockTexts.Of(Blocks(message)));
        Assert.DoesNotContain("<!channel>", message.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void Approvers_named_by_Slack_user_id_are_shown_as_mentions()
    {
        var plan = SampleViews.Plan(RunStatus.AwaitingApproval, true) with { ApproversText = "a configured approver (U0ALICE001, ops@example.com, W0BOB00002)" };

        var text = BlockTexts.Of(Blocks(Valid(plan)));

        Assert.Contains("a configured approver (<@U0ALICE001>, ops@example.com, <@W0BOB00002>)", text);
    }

    [Fact]
    public void Decision_card_offers_three_choices_carrying_the_attempt_and_none_once_resolved()
    {
        var open = new DecisionCardView(SampleViews.RunId, SampleViews.PlanHash, 42, 2, "s2", "POST /tickets", "http.request", "url=https://example.com/tickets", "Any member other than Rita", true, null);
        var resolved = open with { AcceptsDecisions = false, ResolvedText = "Bob confirmed step s2 happened; the run continues." };

        var message = Valid(open);
        var buttons = Buttons(message);

        Assert.Equal(["resolve-done", "resolve-retry", "resolve-stop"], buttons.Select(b => b["action_id"]!.GetValue<string>()));
        Assert.Equal(["primary", null, "danger"], buttons.Select(b => b["style"]?.GetValue<string>()));
        Assert.All(buttons, b => Assert.Equal(42, JsonNode.Parse(b["value"]!.GetValue<string>())!["attemptId"]!.GetValue<long>()));
        Assert.Contains("Did this step happen?", BlockTexts.Of(Blocks(message)));
        var done = Valid(resolved);
        Assert.Empty(Buttons(done));
        Assert.Contains("*Bob confirmed step s2 happened; the run continues.*", BlockTexts.Of(Blocks(done)));
        Assert.DoesNotContain("Sent again", BlockTexts.Of(Blocks(message)), StringComparison.Ordinal);
        Assert.Contains("Sent again", BlockTexts.Of(Blocks(Valid(open with { SentAgain = true }))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RunStatus.Succeeded, "✅ Run succeeded")]
    [InlineData(RunStatus.Failed, "❌ Run failed")]
    [InlineData(RunStatus.Cancelled, "❌ Run cancelled")]
    public void Summary_has_the_outcome_text_and_evidence(RunStatus status, string header)
    {
        var text = BlockTexts.Of(Blocks(Valid(SampleViews.Summary(status))));

        Assert.StartsWith(header, text);
        Assert.Contains("• s1: HTTP 200 OK in 42 ms", text);
        Assert.Contains("Run `" + SampleViews.RunId + "`", text);
    }

    [Theory]
    [InlineData(NoticeTone.Info, "*I can't run")]
    [InlineData(NoticeTone.Warning, "⚠️ *I can't run")]
    [InlineData(NoticeTone.Error, "❌ *I can't run")]
    public void Notice_has_its_title_and_lines(NoticeTone tone, string start)
    {
        var message = Valid(SampleViews.Notice(tone));
        var text = BlockTexts.Of(Blocks(message));

        Assert.StartsWith(start, text);
        Assert.Contains("there is no tool 'shell.exec'", text);
        Assert.StartsWith("I can't run this plan", message["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_trace_link_is_a_url_button()
    {
        var message = Valid(SampleViews.Plan(RunStatus.Succeeded, false) with { TraceUrl = "https://bot.example.com/runs/" + SampleViews.RunId });

        var link = Assert.Single(Buttons(message));
        Assert.Equal(("open-trace", "https://bot.example.com/runs/" + SampleViews.RunId), (link["action_id"]!.GetValue<string>(), link["url"]!.GetValue<string>()));
    }
}
