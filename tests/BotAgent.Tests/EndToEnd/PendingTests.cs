using System.Text.Json.Nodes;
using BotAgent.Testing;

namespace BotAgent.Tests.EndToEnd;

/// <summary>
/// <c>pending</c> on Bot Framework: exactly what the asker may approve from where they ask, each with a card whose
/// clicks take the one decision path; nothing from a conversation the asker cannot act from.
/// </summary>
public sealed class PendingTests
{
    private static readonly JsonObject Dana = Activities.User("user-dana", "Dana");

    [Fact]
    public async Task Pending_lists_what_the_asker_may_approve_here_and_a_click_on_the_listed_card_decides()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/tickets", new TargetResponse(201, "ticket 7"));
        var write = await s.PostGoalAsync(BotScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST body=\"disk full\"");
        await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        // Alice may approve her read-only plan but not her own write.
        var alice = await AskAsync(s, s.Activities, BotScenario.Alice, "pending", cards: 1);
        Assert.Contains("Alice, 1 waiting for your approval", alice.Notice.CardText);
        Assert.Contains("/health", alice.Cards.Single().CardText);
        Assert.DoesNotContain("/tickets", alice.Notice.CardText + alice.Cards.Single().CardText);

        var bob = await AskAsync(s, s.Activities, BotScenario.Bob, "pending", cards: 2);
        Assert.Contains("Bob, 2 waiting for your approval, newest first", bob.Notice.CardText);
        Assert.Contains("asked by Alice here", bob.Notice.CardText);
        var copy = bob.Cards.Single(c => c.CardText.Contains("/tickets", StringComparison.Ordinal));
        Assert.Contains("Plan awaiting approval", copy.CardText);
        AdaptiveCardSchema.AssertValid(copy.Card!);

        // A click on the listed copy is a click on the plan: the one path, its checks, and the original card updated.
        var onCopy = new PlanCard(copy, bob.AskedId);
        await s.SubmitAsync(BotScenario.Alice, onCopy, "approve");
        await s.WaitForReplyAsync(write, "needs approval from someone other than the person who asked");
        await s.SubmitAsync(BotScenario.Bob, onCopy, "approve");
        await s.WaitForCardAsync(write, "approved by Bob");
        await s.WaitForReplyAsync(write, "Run succeeded");

        var after = await AskAsync(s, s.Activities, BotScenario.Bob, "pending", cards: 1);
        Assert.DoesNotContain("/tickets", after.Notice.CardText);
    }

    [Fact]
    public async Task A_quorum_plan_is_no_longer_listed_for_someone_who_approved_it()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["Approvals:WriteQuorum"] = "2" });
        var write = await s.PostGoalAsync(BotScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST body=\"x\"");
        await s.SubmitAsync(BotScenario.Bob, write, "approve");
        await s.WaitForCardAsync(write, "approved by Bob");

        var bob = await AskAsync(s, s.Activities, BotScenario.Bob, "pending", cards: 0);
        Assert.Contains("Bob, nothing is waiting for your approval in this conversation", bob.Notice.CardText);
        var carol = await AskAsync(s, s.Activities, BotScenario.Carol, "pending", cards: 1);
        Assert.Contains("/tickets", carol.Cards.Single().CardText);
    }

    [Fact]
    public async Task A_run_in_another_conversation_is_not_shown_and_a_named_approver_sees_it_only_in_a_direct_chat()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tools:Shell:Enabled"] = "true",
            ["Tools:Shell:AllowedExecutables:0"] = "/bin/echo",
            ["Approvals:HighRiskApprovers:0"] = "user-dana",
        });
        await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/secret-health")}");
        var high = await s.PostGoalAsync(BotScenario.Alice, "1. shell.run {\"executable\": \"/bin/echo\", \"args\": [\"payroll\"]}");

        // Another group conversation: Carol (who could approve a read-only plan in conv-1) and Dana see nothing from conv-1.
        var elsewhere = new Activities(s.Channel.ServiceUrl, "emulator", "conv-2");
        foreach (var who in new[] { BotScenario.Carol, Dana })
        {
            var answer = await AskAsync(s, elsewhere, who, "pending", cards: 0);
            Assert.Contains("nothing is waiting for your approval in this conversation", answer.Notice.CardText);
            Assert.Contains("listed only in a direct chat with me", answer.Notice.CardText);
            Assert.DoesNotContain("secret-health", answer.Notice.CardText);
            Assert.DoesNotContain("payroll", answer.Notice.CardText);
        }

        // A direct chat: Carol is no named approver, so still nothing; Dana gets the high-risk plan she may approve.
        var carolDirect = new Activities(s.Channel.ServiceUrl, "emulator", "carol-direct");
        var carol = await AskAsync(s, carolDirect, BotScenario.Carol, "pending", cards: 0, direct: true);
        Assert.Contains("nothing is waiting for your approval that you can act on from here", carol.Notice.CardText);
        var danaDirect = new Activities(s.Channel.ServiceUrl, "emulator", "dana-direct");
        var dana = await AskAsync(s, danaDirect, Dana, "pending", cards: 1, direct: true);
        Assert.Contains("asked by Alice in another conversation", dana.Notice.CardText);
        Assert.DoesNotContain("secret-health", dana.Notice.CardText + dana.Cards.Single().CardText);
        Assert.Contains("payroll", dana.Cards.Single().CardText);

        var click = danaDirect.Submit(Dana, new PlanCard(dana.Cards.Single(), dana.AskedId).ButtonData("approve"), dana.Cards.Single().AssignedId!);
        click["conversation"]!["conversationType"] = "personal";
        await s.Bot.PostActivityAsync(click);
        await s.WaitForCardAsync(high, "approved by Dana");
    }

    [Fact]
    public async Task Asking_for_someone_elses_approvals_is_refused_and_lists_nothing()
    {
        await using var s = await BotScenario.StartAsync();
        await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        foreach (var text in new[] { "pending for Alice", "pending @Alice", "pending user-alice", "pending <at>Alice Smith</at>" })
        {
            var answer = await AskAsync(s, s.Activities, BotScenario.Bob, text, cards: 0);
            Assert.Contains("Bob, `pending` lists only what waits for you", answer.Notice.CardText);
            Assert.DoesNotContain("/health", answer.Notice.CardText);
        }
    }

    [Fact]
    public async Task A_flood_of_pending_gets_three_answers_one_warning_then_silence()
    {
        await using var s = await BotScenario.StartAsync();
        await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        var asked = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var message = s.Activities.Message(BotScenario.Bob, "pending");
            asked.Add(message["id"]!.GetValue<string>());
            await s.Bot.PostActivityAsync(message);
        }
        // A conversation's messages are handled and answered in order: once `status` is answered, the six were.
        var status = s.Activities.Message(BotScenario.Carol, "status");
        await s.Bot.PostActivityAsync(status);
        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == status["id"]!.GetValue<string>(), what: "the status");

        var answers = s.Channel.Calls.Where(c => c.IsPost && c.Succeeded && asked.Contains(c.ActivityId!)).ToList();
        Assert.Equal(3, answers.Count(c => c.CardText.Contains("1 waiting for your approval", StringComparison.Ordinal)));
        Assert.Equal(3, answers.Count(c => c.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal)));
        Assert.Single(answers, c => c.CardText.Contains("3 times in the last minute", StringComparison.Ordinal));
        Assert.Equal(7, answers.Count);
    }

    /// <summary>Says <paramref name="text"/> and waits for the answer: a notice, then <paramref name="cards"/> cards, in its thread.</summary>
    private static async Task<Answer> AskAsync(BotScenario s, Activities where, JsonObject who, string text, int cards, bool direct = false)
    {
        var ask = where.Message(who, text);
        if (direct)
            ask["conversation"]!["conversationType"] = "personal";
        var id = ask["id"]!.GetValue<string>() + "-" + where.ConversationId;
        ask["id"] = id;
        await s.Bot.PostActivityAsync(ask);
        var posts = await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == id, 1 + cards, what: $"the answer to '{text}'");
        // Nothing more comes for this message: `status` after it is answered after everything before it.
        var status = where.Message(who, "status");
        status["id"] = status["id"]!.GetValue<string>() + "-status-" + where.ConversationId;
        if (direct)
            status["conversation"]!["conversationType"] = "personal";
        await s.Bot.PostActivityAsync(status);
        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == status["id"]!.GetValue<string>(), what: "the status after it");
        var all = s.Channel.Calls.Where(c => c.IsPost && c.Succeeded && c.ActivityId == id).OrderBy(c => c.Sequence).ToList();
        Assert.Equal(1 + cards, all.Count);
        return new Answer(id, all[0], all.Skip(1).ToList());
    }

    private sealed record Answer(string AskedId, ConnectorCall Notice, IReadOnlyList<ConnectorCall> Cards);
}
