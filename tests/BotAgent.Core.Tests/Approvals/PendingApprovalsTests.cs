using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Core.Tests.Approvals;

/// <summary>What <c>pending</c> lists: exactly what the gates would accept from the asker where they ask.</summary>
public sealed class PendingApprovalsTests
{
    private static readonly Member Rita = new("u-rita", "Rita", ProvenBy: "msteams");
    private static readonly Member Bob = new("u-bob", "Bob", ProvenBy: "msteams");
    private static readonly Member Ann = new("29:ann", "Ann", "aad-ann", ProvenBy: "msteams");
    private static readonly Member Nameless = new("webchat-bob", "Bob", ProvenBy: null);
    private static readonly ConversationKey Team = Key("19:team@thread.v2");
    private static readonly ConversationKey Elsewhere = Key("19:elsewhere@thread.v2");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRunStore _store;
    private readonly InMemoryStepAttemptStore _attempts = new();
    private readonly PendingApprovals _pending;
    private int _next;

    public PendingApprovalsTests()
    {
        _store = new InMemoryRunStore(_time);
        var rights = new DecisionRights(new Permissions(Options.Create(new Dictionary<string, RoleOptions>())));
        _pending = new PendingApprovals(_store, _store, _attempts, rights, _time);
    }

    [Fact]
    public async Task A_write_plan_waits_for_others_here_not_for_its_requester_nor_for_a_self_named_person()
    {
        var run = Seed(RiskLevel.Write, Team);

        Assert.Equal([run.Id], await ListAsync(Bob, Team));
        Assert.Empty(await ListAsync(Rita, Team));
        Assert.Empty(await ListAsync(Nameless, Team));
        // Not from another conversation, nor from a 1:1 chat: Bob's click there would count for nothing.
        Assert.Empty(await ListAsync(Bob, Elsewhere));
        Assert.Empty(await ListAsync(Bob, Team.DirectWith(Bob.Id)));
    }

    [Fact]
    public async Task A_high_risk_plan_waits_for_its_named_approver_in_a_direct_chat_on_its_channel_only()
    {
        var run = Seed(RiskLevel.High, Team, approvers: ["29:ann"]);

        Assert.Equal([run.Id], await ListAsync(Ann, Team.DirectWith(Ann.Id)));
        Assert.Equal([run.Id], await ListAsync(Ann, Team));
        Assert.Empty(await ListAsync(Ann, Elsewhere));
        Assert.Empty(await ListAsync(Bob, Team));
        Assert.Empty(await ListAsync(Ann, Team.DirectWith(Ann.Id) with { ChannelId = "emulator" }));
    }

    [Fact]
    public async Task Expired_decided_and_finished_runs_are_not_listed()
    {
        var expired = Seed(RiskLevel.Write, Team);
        _store.Seed(_store[expired.Id] with { ExpiresAt = _time.GetUtcNow().AddMinutes(-1) });
        Seed(RiskLevel.Write, Team, RunStatus.Succeeded);
        var quorum = Seed(RiskLevel.Write, Team, quorum: 2);
        await _store.DecideAsync(new ApprovalDecision(quorum.Id, quorum.PlanVersion, quorum.PlanHash!, Bob, ApprovalVerb.Approve, _time.GetUtcNow()), 2, CancellationToken.None);

        Assert.Empty(await ListAsync(Bob, Team));
        Assert.Equal([quorum.Id], await ListAsync(Ann, Team));
    }

    [Fact]
    public async Task A_step_decision_is_listed_in_its_own_conversation_with_its_decision_card()
    {
        var run = Seed(RiskLevel.Write, Team, RunStatus.AwaitingDecision);
        var attempt = await _attempts.StartAsync(new StepAttempt(0, run.Id, run.PlanVersion, "s1", 0, 1, "http.request", "{}", "key", StepState.Running, _time.GetUtcNow()), CancellationToken.None);
        await _attempts.FinishAsync(attempt, StepState.OutcomeUnknown, _time.GetUtcNow(), "interrupted", null, null, null, CancellationToken.None);

        var list = await _pending.ForAsync(Bob, Team, 10, CancellationToken.None);

        var card = Assert.IsType<DecisionCardView>(Assert.Single(list.Items).Card);
        Assert.Equal(attempt, card.AttemptId);
        Assert.True(card.AcceptsDecisions);
        Assert.Empty(await ListAsync(Bob, Elsewhere));
        Assert.Empty(await ListAsync(Rita, Team));
    }

    [Fact]
    public async Task At_most_the_number_asked_for_is_returned_newest_first_and_the_rest_counted()
    {
        var ids = Enumerable.Range(0, 5).Select(_ =>
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            return Seed(RiskLevel.ReadOnly, Team).Id;
        }).ToList();

        var list = await _pending.ForAsync(Bob, Team, 2, CancellationToken.None);

        Assert.Equal([ids[4], ids[3]], list.Items.Select(i => i.Run.Id));
        Assert.Equal(3, list.More);
    }

    private async Task<IReadOnlyList<string>> ListAsync(Member asker, ConversationKey where) =>
        [.. (await _pending.ForAsync(asker, where, 10, CancellationToken.None)).Items.Select(i => i.Run.Id)];

    private Run Seed(RiskLevel risk, ConversationKey where, RunStatus status = RunStatus.AwaitingApproval, IReadOnlyList<string>? approvers = null, int quorum = 1)
    {
        var now = _time.GetUtcNow();
        var requirement = risk == RiskLevel.High
            ? new ApprovalRequirement(risk, quorum, false, approvers ?? [])
            : new ApprovalRequirement(risk, quorum, risk == RiskLevel.ReadOnly, null);
        var run = new Run
        {
            Id = $"run-{++_next:D2}-0123456789",
            Status = status,
            Goal = "restart the cache",
            Requester = Rita,
            Conversation = where,
            CreatedAt = now,
            UpdatedAt = now,
            PlanVersion = 1,
            PlanHash = "hash",
            RiskLevel = risk,
            Approval = requirement,
            ExpiresAt = now.AddHours(1),
        };
        _store.Seed(run);
        return run;
    }

    private static ConversationKey Key(string id) => new ConversationKey("botframework", "msteams", id, "goal", new Member("bot-1", "BotAgent"))
        .WithAddress(("serviceUrl", "https://smba.example/"));
}
