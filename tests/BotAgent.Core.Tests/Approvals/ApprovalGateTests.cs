using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Core.Tests.Approvals;

public sealed class ApprovalGateTests : IDisposable
{
    private const string RunId = "run-1";
    private const string CurrentHash = "0123456789abcdef";

    private static readonly Member Rita = new("u-rita", "Rita", ProvenBy: "msteams");
    private static readonly Member Bob = new("u-bob", "Bob", ProvenBy: "msteams");
    private static readonly Member Ann = new("29:ann", "Ann", "aad-ann", ProvenBy: "msteams");
    private static readonly ConversationKey Conversation =
        new ConversationKey("botframework", "msteams", "19:team-channel@thread.tacv2", "goal-activity", new Member("bot-1", "BotAgent")).WithAddress(("serviceUrl", "https://smba.example/"));

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingTraceSink _traces = new();
    private readonly WorkSignals _signals = new();
    private readonly InMemoryRunStore _store;
    private readonly ApprovalGate _gate;

    public ApprovalGateTests()
    {
        _store = new InMemoryRunStore(_time);
        _gate = new ApprovalGate(_store, TestJournal.Create(_store, _traces, _time), new DecisionRights(new Permissions(Options.Create(new Dictionary<string, RoleOptions>()))), _traces, _signals, _time, NullLogger<ApprovalGate>.Instance);
    }

    public void Dispose() => _signals.Dispose();

    private Task<Run> GivenRunAsync(RiskLevel risk = RiskLevel.Write, RunStatus status = RunStatus.AwaitingApproval, ApprovalOptions? options = null)
    {
        var now = _time.GetUtcNow();
        var run = new Run
        {
            Id = RunId,
            Status = status,
            Goal = "restart the cache",
            Requester = Rita,
            Conversation = Conversation,
            CreatedAt = now,
            UpdatedAt = now,
            PlanVersion = 2,
            PlanHash = CurrentHash,
            RiskLevel = risk,
            Approval = new ApprovalRules(Options.Create(options ?? new ApprovalOptions())).For(risk),
            ExpiresAt = now.AddHours(1),
        };
        _store.Seed(run); // already waiting for approval of version 2: CreateAsync stores only a new run
        return Task.FromResult(run);
    }

    private Task<DecisionResult> ClickAsync(Member who, ApprovalVerb verb = ApprovalVerb.Approve, string hash = CurrentHash, ConversationKey? conversation = null) =>
        _gate.DecideAsync(new PlanDecision(RunId, hash, verb, who, conversation ?? Conversation with { ThreadId = "card-activity" }), CancellationToken.None);

    private Task<bool> RunsSignalledAsync() => _signals.Runs.WaitAsync(TimeSpan.Zero, CancellationToken.None);

    private void AssertNothingChanged(RunStatus status = RunStatus.AwaitingApproval)
    {
        Assert.Empty(_store.Decisions);
        Assert.Equal(status, _store[RunId].Status);
    }

    [Fact]
    public async Task Approve_by_another_member_of_write_plan_approves_the_run_and_wakes_the_executor()
    {
        await GivenRunAsync(RiskLevel.Write);

        var result = await ClickAsync(Bob);

        Assert.Equal(DecisionResultKind.Approved, result.Kind);
        Assert.True(result.ChangedRun);
        Assert.Equal(RunStatus.Approved, _store[RunId].Status);
        Assert.Equal(RunStatus.Approved, result.Run!.Status);
        var decision = Assert.Single(_store.Decisions);
        Assert.Equal((Bob, ApprovalVerb.Approve, 2, CurrentHash, _time.GetUtcNow()), (decision.Approver, decision.Verb, decision.PlanVersion, decision.PlanHash, decision.DecidedAt));
        Assert.Equal(TraceTypes.ApprovalDecision, Assert.Single(_traces.Events).Type);
        Assert.True(await RunsSignalledAsync());
    }

    [Fact]
    public async Task Click_on_a_card_with_an_older_plan_hash_is_stale_and_records_nothing()
    {
        await GivenRunAsync();

        var result = await ClickAsync(Bob, hash: "fedcba9876543210");

        Assert.Equal(DecisionResultKind.Stale, result.Kind);
        Assert.False(result.ChangedRun);
        Assert.Contains("v2", result.Message, StringComparison.Ordinal);
        AssertNothingChanged();
        var trace = Assert.Single(_traces.Events);
        Assert.Equal(TraceTypes.ApprovalRefused, trace.Type);
        Assert.False(await RunsSignalledAsync());
    }

    [Theory]
    [InlineData(RunStatus.Approved)]
    [InlineData(RunStatus.Running)]
    [InlineData(RunStatus.Succeeded)]
    [InlineData(RunStatus.Rejected)]
    [InlineData(RunStatus.Cancelled)]
    public async Task Click_on_a_run_that_no_longer_awaits_approval_is_closed(RunStatus status)
    {
        await GivenRunAsync(status: status);

        var result = await ClickAsync(Bob);

        Assert.Equal(DecisionResultKind.Closed, result.Kind);
        Assert.StartsWith("Nothing changed", result.Message, StringComparison.Ordinal);
        AssertNothingChanged(status);
        Assert.False(await RunsSignalledAsync());
    }

    [Fact]
    public async Task Click_after_the_approval_window_expires_the_run()
    {
        await GivenRunAsync();
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var result = await ClickAsync(Bob);

        Assert.Equal(DecisionResultKind.Expired, result.Kind);
        Assert.True(result.ChangedRun);
        Assert.Equal(RunStatus.Expired, _store[RunId].Status);
        Assert.Equal("approval expired", _store[RunId].Outcome);
        Assert.Empty(_store.Decisions);
        Assert.False(await RunsSignalledAsync());
    }

    [Fact]
    public async Task Click_at_the_exact_expiry_instant_is_expired()
    {
        await GivenRunAsync();
        _time.Advance(TimeSpan.FromHours(1));

        var result = await ClickAsync(Bob);

        Assert.Equal(DecisionResultKind.Expired, result.Kind);
    }

    [Fact]
    public async Task Click_just_before_expiry_still_counts()
    {
        await GivenRunAsync();
        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));

        var result = await ClickAsync(Bob);

        Assert.Equal(DecisionResultKind.Approved, result.Kind);
    }

    [Fact]
    public async Task Approve_by_requester_of_write_plan_is_refused_with_the_reason()
    {
        await GivenRunAsync(RiskLevel.Write);

        var result = await ClickAsync(Rita);

        Assert.Equal(DecisionResultKind.NotAllowed, result.Kind);
        Assert.Contains("Rita, you may not approve this plan", result.Message, StringComparison.Ordinal);
        Assert.Contains("someone other than the person who asked", result.Message, StringComparison.Ordinal);
        AssertNothingChanged();
        Assert.Equal(TraceTypes.ApprovalRefused, Assert.Single(_traces.Events).Type);
        Assert.False(await RunsSignalledAsync());
    }

    [Fact]
    public async Task Approve_by_requester_of_read_only_plan_approves_it()
    {
        await GivenRunAsync(RiskLevel.ReadOnly);

        var result = await ClickAsync(Rita);

        Assert.Equal(DecisionResultKind.Approved, result.Kind);
    }

    [Fact]
    public async Task Approve_by_unlisted_member_of_high_risk_plan_is_refused()
    {
        await GivenRunAsync(RiskLevel.High, options: new ApprovalOptions { HighRiskApprovers = ["aad-ann"] });

        var result = await ClickAsync(Bob);

        Assert.Equal(DecisionResultKind.NotAllowed, result.Kind);
        Assert.Contains("only configured approvers", result.Message, StringComparison.Ordinal);
        AssertNothingChanged();
    }

    [Fact]
    public async Task Approve_by_configured_approver_of_high_risk_plan_approves_it()
    {
        await GivenRunAsync(RiskLevel.High, options: new ApprovalOptions { HighRiskApprovers = ["aad-ann"] });

        var result = await ClickAsync(Ann);

        Assert.Equal(DecisionResultKind.Approved, result.Kind);
    }

    [Fact]
    public async Task Approve_of_high_risk_plan_is_refused_when_no_approvers_are_configured()
    {
        await GivenRunAsync(RiskLevel.High, options: new ApprovalOptions { HighRiskApprovers = [] });

        var result = await ClickAsync(Bob);

        Assert.Equal(DecisionResultKind.NotAllowed, result.Kind);
        AssertNothingChanged();
    }

    [Fact]
    public async Task Click_from_another_conversation_is_not_allowed()
    {
        await GivenRunAsync();

        var result = await ClickAsync(Bob, conversation: Conversation with { ConversationId = "19:other-channel@thread.tacv2" });

        Assert.Equal(DecisionResultKind.NotAllowed, result.Kind);
        Assert.Contains("another conversation", result.Message, StringComparison.Ordinal);
        AssertNothingChanged();
    }

    [Fact]
    public async Task Click_from_another_adapter_with_the_same_conversation_id_is_not_allowed()
    {
        await GivenRunAsync();

        var result = await ClickAsync(Bob, conversation: Conversation with { Adapter = "slack" });

        Assert.Equal(DecisionResultKind.NotAllowed, result.Kind);
        AssertNothingChanged();
    }

    [Fact]
    public async Task Click_from_another_thread_of_the_same_space_counts()
    {
        await GivenRunAsync();

        var result = await ClickAsync(Bob, conversation: Conversation with { ConversationId = Conversation.ConversationId + ";messageid=1700000000000", Space = Conversation.ConversationId });

        Assert.Equal(DecisionResultKind.Approved, result.Kind);
    }

    [Fact]
    public async Task Reject_by_requester_of_write_plan_rejects_it()
    {
        await GivenRunAsync(RiskLevel.Write);

        var result = await ClickAsync(Rita, ApprovalVerb.Reject);

        Assert.Equal(DecisionResultKind.Rejected, result.Kind);
        Assert.Equal(RunStatus.Rejected, _store[RunId].Status);
        Assert.False(await RunsSignalledAsync());
    }

    [Fact]
    public async Task Quorum_of_two_needs_two_different_approvers()
    {
        await GivenRunAsync(RiskLevel.Write, options: new ApprovalOptions { WriteQuorum = 2 });

        var first = await ClickAsync(Bob);
        var again = await ClickAsync(Bob);
        var second = await ClickAsync(Ann);

        Assert.Equal(DecisionResultKind.Counted, first.Kind);
        Assert.Contains("1 of 2", first.Message, StringComparison.Ordinal);
        Assert.Equal(DecisionResultKind.AlreadyDecided, again.Kind);
        Assert.Equal(DecisionResultKind.Approved, second.Kind);
        Assert.Equal(2, _store.Decisions.Count);
        Assert.Equal(RunStatus.Approved, _store[RunId].Status);
        // Each recorded decision refreshes the card with itself (the count, then the approval); the repeat does not.
        Assert.Equal(["card:run-1:v2", "card:run-1:v2"],
            ((RecordingOutbox)_store.Outbox!).Messages.Where(m => m.Kind == OutboundKind.Update).Select(m => m.MessageKey));
    }

    [Fact]
    public async Task Click_on_an_unknown_run_changes_nothing_and_writes_no_trace()
    {
        var result = await ClickAsync(Bob);

        Assert.Equal(DecisionResultKind.UnknownRun, result.Kind);
        Assert.Null(result.Run);
        Assert.Empty(_traces.Events);
    }
}
