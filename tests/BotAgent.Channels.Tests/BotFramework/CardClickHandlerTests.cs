using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Channels.BotFramework;
using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Channels.Tests.BotFramework;

/// <summary>Both Teams click routes translate into the same core decision; only the answer differs.</summary>
public sealed class CardClickHandlerTests
{
    private static readonly JsonObject Bob = Activities.User("29:bob", "Bob", "aad-bob");
    private readonly Activities _activities = new("https://smba.example/emea/", "msteams", "19:abc@thread.tacv2;messageid=17000");
    private readonly RecordingChat _chat = new();

    private static Activity Parse(JsonObject json) => JsonSerializer.Deserialize(json.ToJsonString(), BotFrameworkJsonContext.Default.Activity)!;

    private JsonObject Approve(CardActionStyle style)
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true), style);
        var button = CardTexts.Actions(card)[0];
        return style == CardActionStyle.Execute
            ? _activities.Execute(Bob, button["verb"]!.GetValue<string>(), (JsonObject)button["data"]!.DeepClone(), "card-1", id: "click-1")
            : _activities.Submit(Bob, (JsonObject)button["data"]!.DeepClone(), "card-1", id: "click-1");
    }

    private JsonObject ResolveDone() =>
        _activities.Execute(Bob, "resolve-done", new JsonObject { ["runId"] = SampleViews.RunId, ["attemptId"] = 7 }, "card-2");

    [Fact]
    public async Task Submit_and_execute_clicks_make_the_same_plan_decision()
    {
        var handler = new CardClickHandler(_chat);

        await handler.HandleSubmitAsync(Parse(Approve(CardActionStyle.Submit)), CancellationToken.None);
        await handler.HandleInvokeAsync(Parse(Approve(CardActionStyle.Execute)), CancellationToken.None);

        Assert.Equal(2, _chat.Plans.Count);
        Assert.Equal(_chat.Plans[0], _chat.Plans[1]);
        Assert.Equal((SampleViews.RunId, SampleViews.PlanHash, ApprovalVerb.Approve, "29:bob"),
            (_chat.Plans[0].RunId, _chat.Plans[0].PlanHash, _chat.Plans[0].Verb, _chat.Plans[0].Actor.Id));
    }

    [Fact]
    public async Task A_click_that_changed_nothing_is_answered_in_the_thread_for_submit_and_in_the_response_for_execute()
    {
        _chat.Answer = new DecisionResult(DecisionResultKind.AlreadyDecided, "Nothing changed: Bob, you already decided on this plan.", null);
        var handler = new CardClickHandler(_chat);

        await handler.HandleSubmitAsync(Parse(Approve(CardActionStyle.Submit)), CancellationToken.None);
        var answer = await handler.HandleInvokeAsync(Parse(Approve(CardActionStyle.Execute)), CancellationToken.None);

        Assert.Single(_chat.Unchanged);
        Assert.Equal("Nothing changed: Bob, you already decided on this plan.", answer.Value?.ToString());
    }

    [Fact]
    public async Task A_redelivered_step_decision_is_answered_without_deciding_again()
    {
        var handler = new CardClickHandler(_chat);

        var answer = await handler.ReplayAsync(Parse(ResolveDone()), CancellationToken.None);

        Assert.Equal(200, answer.StatusCode);
        Assert.Empty(_chat.Steps);
        Assert.Empty(_chat.Plans);
    }

    [Fact]
    public async Task A_step_decision_click_is_decided_once_and_answered_in_words()
    {
        _chat.Answer = new DecisionResult(DecisionResultKind.Resolved, "Marked done by Bob.", null);
        var handler = new CardClickHandler(_chat);

        var answer = await handler.HandleInvokeAsync(Parse(ResolveDone()), CancellationToken.None);

        Assert.Equal((SampleViews.RunId, 7L, Core.Execution.StepResolutionKind.Done), (_chat.Steps.Single().RunId, _chat.Steps.Single().AttemptId, _chat.Steps.Single().Kind));
        Assert.Equal("Marked done by Bob.", answer.Value?.ToString());
    }

    /// <summary>The core's port, recording what the adapter asked of it.</summary>
    private sealed class RecordingChat : IChatEvents
    {
        public List<PlanDecision> Plans { get; } = [];
        public List<StepDecision> Steps { get; } = [];
        public List<DecisionResult> Unchanged { get; } = [];
        public DecisionResult Answer { get; set; } = new(DecisionResultKind.Counted, "Counted.", null);

        public Task MessagePostedAsync(GoalPosted message, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task BotAddedAsync(ConversationKey conversation, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<DecisionResult> PlanDecidedAsync(PlanDecision decision, CancellationToken cancellationToken)
        {
            Plans.Add(decision);
            return Task.FromResult(Answer);
        }
        public Task<DecisionResult> StepDecidedAsync(StepDecision decision, CancellationToken cancellationToken)
        {
            Steps.Add(decision);
            return Task.FromResult(Answer);
        }
        public Task AnswerUnchangedAsync(DecisionResult result, ConversationKey clickedIn, CancellationToken cancellationToken)
        {
            Unchanged.Add(result);
            return Task.CompletedTask;
        }
        public Task NoticeAsync(ConversationKey conversation, NoticeView notice, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<ViewerCard?> CardForAsync(string runId, Member viewer, ConversationKey where, CancellationToken cancellationToken) => Task.FromResult<ViewerCard?>(null);
    }
}
