using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Core.Tests.Approvals;

/// <summary>What a decision on a step whose outcome is unknown tells the thread, queued with the decision itself.</summary>
public sealed class StepDecisionGateTests : IDisposable
{
    private const string RunId = "run-1";
    private static readonly Member Bob = new("u-bob", "Bob", ProvenBy: "msteams");
    private static readonly ConversationKey Conversation = TestRuns.Conversation;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
    private readonly WorkSignals _signals = new();
    private readonly RecordingOutbox _outbox = new();
    private readonly InMemoryRunStore _store;
    private readonly InMemoryStepAttemptStore _attempts = new();
    private readonly StepDecisionGate _gate;

    public StepDecisionGateTests()
    {
        _store = new InMemoryRunStore(_time);
        _gate = new StepDecisionGate(_store, TestJournal.Create(_store, new RecordingTraceSink(), _time, _outbox), _attempts,
            new DecisionRights(new Permissions(Options.Create(new Dictionary<string, RoleOptions>()))), new RecordingTraceSink(), _signals, _time);
    }

    public void Dispose() => _signals.Dispose();

    [Theory]
    [InlineData(StepResolutionKind.Stop, RunStatus.Cancelled, true)]
    [InlineData(StepResolutionKind.Done, RunStatus.Approved, false)]
    [InlineData(StepResolutionKind.Retry, RunStatus.Approved, false)]
    public async Task A_decision_updates_the_decision_card_and_the_plan_card_and_a_stop_posts_the_summary(StepResolutionKind kind, RunStatus after, bool summary)
    {
        var attemptId = await WaitingForDecisionAsync();

        var result = await _gate.DecideAsync(new StepDecision(RunId, attemptId, kind, Bob, Conversation), CancellationToken.None);
        var again = await _gate.DecideAsync(new StepDecision(RunId, attemptId, kind, Bob, Conversation), CancellationToken.None);

        Assert.Equal(DecisionResultKind.Resolved, result.Kind);
        Assert.NotEqual(DecisionResultKind.Resolved, again.Kind);
        Assert.Equal(after, _store[RunId].Status);
        string[] expected = summary
            ? [$"Update {Reporter.DecisionKey(RunId, attemptId)}", $"Post summary:{RunId}:1", $"Update {Reporter.CardKey(RunId)}"]
            : [$"Update {Reporter.DecisionKey(RunId, attemptId)}", $"Update {Reporter.CardKey(RunId)}"];
        Assert.Equal(expected, _outbox.Messages.Select(m => $"{m.Kind} {m.MessageKey}"));
        var card = Assert.IsType<DecisionCardView>(_outbox.Messages[0].View);
        Assert.False(card.AcceptsDecisions);
        Assert.Contains("Bob", card.ResolvedText, StringComparison.Ordinal);
    }

    private async Task<long> WaitingForDecisionAsync()
    {
        var now = _time.GetUtcNow();
        _store.Seed(TestRuns.At(RunId, RunStatus.AwaitingDecision, now, "post the release note") with
        {
            RiskLevel = RiskLevel.Write,
            Approval = new ApprovalRules(Options.Create(new ApprovalOptions())).For(RiskLevel.Write),
            ExpiresAt = now.AddHours(1),
        });
        var attemptId = await _attempts.StartAsync(new StepAttempt(0, RunId, 1, "s1", 0, 1, "http.request", "{}", $"{RunId}:1:s1", StepState.Running, now), CancellationToken.None);
        await _attempts.FinishAsync(attemptId, StepState.OutcomeUnknown, now, "timed out", null, "timeout", null, CancellationToken.None);
        return attemptId;
    }
}
