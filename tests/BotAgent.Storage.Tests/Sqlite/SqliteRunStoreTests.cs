using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Storage.Tests.Sqlite;

public sealed class SqliteRunStoreTests : StoreTest
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private async Task<Run> CreateRunAsync(DateTimeOffset? at = null)
    {
        var run = Samples.NewRun(at ?? _now);
        await Store.Runs.CreateAsync(run, None);
        return run;
    }

    /// <summary>A run with plan version 1 waiting for approval.</summary>
    private async Task<(Run Run, PlanVersion Plan)> AwaitingRunAsync(int quorum = 1, DateTimeOffset? expiresAt = null)
    {
        var run = await CreateRunAsync();
        var plan = Samples.Version(1, Samples.Plan(), _now);
        await Store.Runs.SavePlanAsync(run.Id, plan, None);
        var moved = await Store.Runs.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: expiresAt ?? _now.AddHours(1), RiskLevel: RiskLevel.ReadOnly,
                Approval: new ApprovalRequirement(RiskLevel.ReadOnly, quorum, false, null)), None);
        Assert.True(moved);
        return (run, plan);
    }

    private async Task<RunStatus> StatusAsync(string runId) => (await Store.Runs.GetAsync(runId, None))!.Status;

    [Fact]
    public async Task Created_run_reads_back_with_its_requester_and_conversation_reference()
    {
        var run = await CreateRunAsync();

        var loaded = await Store.Runs.GetAsync(run.Id, None);

        Assert.NotNull(loaded);
        Assert.Equal(run.Id, loaded.Id);
        Assert.Equal(RunStatus.Planning, loaded.Status);
        Assert.Equal(run.Goal, loaded.Goal);
        Assert.Equal(run.Requester, loaded.Requester);
        Assert.Equal(run.Conversation, loaded.Conversation);
        Assert.Equal(run.Conversation.OrderingKey, loaded.Conversation.OrderingKey);
        Assert.Equal(run.CreatedAt, loaded.CreatedAt);
        Assert.Equal(run.UpdatedAt, loaded.UpdatedAt);
        Assert.Equal(0, loaded.PlanVersion);
        Assert.Null(loaded.PlanHash);
        Assert.Null(loaded.Approval);
        Assert.Null(loaded.ExpiresAt);
        Assert.Null(loaded.Outcome);
    }

    [Fact]
    public async Task Conversation_without_optional_parts_reads_back_unchanged()
    {
        var conversation = new BotAgent.Core.Intake.ConversationReference("slack", "slack", "C0123", null, null, null);
        var run = Samples.NewRun(_now, conversation: conversation);
        await Store.Runs.CreateAsync(run, None);

        var loaded = await Store.Runs.GetAsync(run.Id, None);

        Assert.Equal(conversation, loaded!.Conversation);
    }

    [Fact]
    public async Task Unknown_run_is_null()
    {
        Assert.Null(await Store.Runs.GetAsync("no-such-run", None));
    }

    [Fact]
    public async Task Approval_requirement_written_with_a_transition_reads_back()
    {
        var run = await CreateRunAsync();
        var expires = _now.AddMinutes(30);
        var requirement = new ApprovalRequirement(RiskLevel.High, 2, RequesterMayApprove: false, ["29:bob", "aad-carol"]);

        var moved = await Store.Runs.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: expires, RiskLevel: RiskLevel.High, Approval: requirement), None);

        Assert.True(moved);
        var loaded = (await Store.Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.AwaitingApproval, loaded.Status);
        Assert.Equal(expires, loaded.ExpiresAt);
        Assert.Equal(RiskLevel.High, loaded.RiskLevel);
        Assert.NotNull(loaded.Approval);
        Assert.Equal(RiskLevel.High, loaded.Approval.Risk);
        Assert.Equal(2, loaded.Approval.Quorum);
        Assert.False(loaded.Approval.RequesterMayApprove);
        Assert.Equal(["29:bob", "aad-carol"], loaded.Approval.Approvers);
        var json = JsonNode.Parse(await Store.ScalarAsync<string>("SELECT approval_json FROM runs WHERE id = $id;", ("$id", run.Id)))!;
        Assert.Equal(2, json["quorum"]!.GetValue<int>());
    }

    [Fact]
    public async Task Transition_without_changes_keeps_earlier_fields()
    {
        var (run, _) = await AwaitingRunAsync(quorum: 3);

        Assert.True(await Store.Runs.TransitionAsync(run.Id, RunStatus.AwaitingApproval, RunStatus.Cancelled, new RunChanges(Outcome: "cancelled by Alice"), None));

        var loaded = (await Store.Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Cancelled, loaded.Status);
        Assert.Equal("cancelled by Alice", loaded.Outcome);
        Assert.Equal(3, loaded.Approval!.Quorum);
        Assert.NotNull(loaded.ExpiresAt);
    }

    [Fact]
    public async Task Saved_plan_reads_back_and_becomes_the_current_version()
    {
        var run = await CreateRunAsync();
        var plan = Samples.Version(1, Samples.Plan(), _now);

        await Store.Runs.SavePlanAsync(run.Id, plan, None);

        var loaded = await Store.Runs.GetPlanAsync(run.Id, 1, None);
        Assert.NotNull(loaded);
        Assert.Equal(1, loaded.Version);
        Assert.Equal(plan.Hash, loaded.Hash);
        Assert.Equal("offline", loaded.Planner);
        Assert.Equal(plan.CreatedAt, loaded.CreatedAt);
        Assert.Equal(PlanDocument.ToJson(plan.Plan), PlanDocument.ToJson(loaded.Plan));
        Assert.Equal(plan.Hash, PlanDocument.Hash(loaded.Plan));
        Assert.Equal(["s1"], loaded.Plan.Steps[1].DependsOn);
        Assert.Equal(20, loaded.Plan.Steps[1].Args.GetProperty("limit").GetInt32());
        var current = (await Store.Runs.GetAsync(run.Id, None))!;
        Assert.Equal(1, current.PlanVersion);
        Assert.Equal(plan.Hash, current.PlanHash);
        Assert.Equal(RiskLevel.ReadOnly, current.RiskLevel);
    }

    [Fact]
    public async Task Revised_plan_becomes_current_and_the_earlier_version_is_kept()
    {
        var run = await CreateRunAsync();
        var first = Samples.Version(1, Samples.Plan(), _now);
        var revised = Samples.Version(2, Samples.Plan(url: "https://status.example.com/v2/health") with { RiskLevel = RiskLevel.Write }, _now.AddSeconds(5));

        await Store.Runs.SavePlanAsync(run.Id, first, None);
        await Store.Runs.SavePlanAsync(run.Id, revised, None);

        Assert.Equal(first.Hash, (await Store.Runs.GetPlanAsync(run.Id, 1, None))!.Hash);
        Assert.Equal(revised.Hash, (await Store.Runs.GetPlanAsync(run.Id, 2, None))!.Hash);
        Assert.Null(await Store.Runs.GetPlanAsync(run.Id, 3, None));
        var current = (await Store.Runs.GetAsync(run.Id, None))!;
        Assert.Equal(2, current.PlanVersion);
        Assert.Equal(revised.Hash, current.PlanHash);
        Assert.Equal(RiskLevel.Write, current.RiskLevel);
    }

    [Fact]
    public async Task Transition_is_compare_and_set()
    {
        var run = await CreateRunAsync();

        var first = await Store.Runs.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval, RunChanges.None, None);
        var second = await Store.Runs.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval, RunChanges.None, None);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
    }

    [Fact]
    public async Task Transition_from_a_state_the_run_has_left_changes_nothing()
    {
        var run = await CreateRunAsync();
        Assert.True(await Store.Runs.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.Cancelled, new RunChanges(Outcome: "cancelled"), None));

        var late = await Store.Runs.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.Failed, new RunChanges(Outcome: "planning failed"), None);

        Assert.False(late);
        var loaded = (await Store.Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Cancelled, loaded.Status);
        Assert.Equal("cancelled", loaded.Outcome);
    }

    [Fact]
    public async Task Concurrent_transitions_from_one_state_succeed_once()
    {
        var run = await CreateRunAsync();
        var targets = new[] { RunStatus.AwaitingApproval, RunStatus.PolicyDenied, RunStatus.Failed, RunStatus.Cancelled };

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Store.Runs.TransitionAsync(run.Id, RunStatus.Planning, targets[i % targets.Length], RunChanges.None, None))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Theory]
    [InlineData(RunStatus.Planning, RunStatus.Running)]
    [InlineData(RunStatus.Planning, RunStatus.Approved)]
    [InlineData(RunStatus.AwaitingApproval, RunStatus.Succeeded)]
    [InlineData(RunStatus.Succeeded, RunStatus.Running)]
    [InlineData(RunStatus.Rejected, RunStatus.Approved)]
    public async Task Illegal_transition_throws_and_changes_nothing(RunStatus from, RunStatus to)
    {
        var run = await CreateRunAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Runs.TransitionAsync(run.Id, from, to, RunChanges.None, None));

        Assert.Equal(RunStatus.Planning, await StatusAsync(run.Id));
    }

    [Fact]
    public async Task Single_approval_with_quorum_one_closes_the_run_as_approved()
    {
        var (run, plan) = await AwaitingRunAsync(quorum: 1);

        var record = await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), _now), 1, None);

        Assert.Equal(new DecisionRecord(DecisionRecordKind.Closed, RunStatus.Approved, 1), record);
        Assert.Equal(RunStatus.Approved, await StatusAsync(run.Id));
        var decision = Assert.Single(await Store.Runs.GetDecisionsAsync(run.Id, None));
        Assert.Equal(Samples.Approver(1), decision.Approver);
        Assert.Equal(ApprovalVerb.Approve, decision.Verb);
        Assert.Equal(plan.Hash, decision.PlanHash);
        Assert.Equal(1, decision.PlanVersion);
        Assert.Equal(_now, decision.DecidedAt);
    }

    [Fact]
    public async Task Quorum_of_two_counts_the_first_approval_and_closes_on_the_second()
    {
        var (run, plan) = await AwaitingRunAsync(quorum: 2);

        var first = await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), _now), 2, None);
        Assert.Equal(new DecisionRecord(DecisionRecordKind.Counted, RunStatus.AwaitingApproval, 1), first);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));

        var second = await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(2), _now.AddSeconds(1)), 2, None);
        Assert.Equal(new DecisionRecord(DecisionRecordKind.Closed, RunStatus.Approved, 2), second);
        Assert.Equal(RunStatus.Approved, await StatusAsync(run.Id));
        Assert.Equal(["29:approver-1", "29:approver-2"], (await Store.Runs.GetDecisionsAsync(run.Id, None)).Select(d => d.Approver.Id));
    }

    [Fact]
    public async Task Same_approver_twice_is_a_duplicate_and_does_not_count()
    {
        var (run, plan) = await AwaitingRunAsync(quorum: 2);
        await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), _now), 2, None);

        var again = await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), _now.AddSeconds(1)), 2, None);

        Assert.Equal(DecisionRecordKind.Duplicate, again.Kind);
        Assert.Equal(RunStatus.AwaitingApproval, again.Status);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
        Assert.Single(await Store.Runs.GetDecisionsAsync(run.Id, None));
    }

    [Fact]
    public async Task Rejection_closes_the_run_as_rejected_and_names_who_rejected()
    {
        var (run, plan) = await AwaitingRunAsync(quorum: 2);
        await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), _now), 2, None);

        var record = await Store.Runs.DecideAsync(Samples.Reject(run.Id, plan, Samples.Approver(2), _now), 2, None);

        Assert.Equal(DecisionRecordKind.Closed, record.Kind);
        Assert.Equal(RunStatus.Rejected, record.Status);
        var loaded = (await Store.Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Rejected, loaded.Status);
        Assert.Contains("Approver 2", loaded.Outcome);
        Assert.Equal(ApprovalVerb.Reject, (await Store.Runs.GetDecisionsAsync(run.Id, None))[1].Verb);
    }

    [Fact]
    public async Task Decision_on_a_stale_plan_hash_is_not_recorded()
    {
        var (run, plan) = await AwaitingRunAsync(quorum: 1);
        var stale = plan with { Hash = "0123456789abcdef" };

        var record = await Store.Runs.DecideAsync(Samples.Approve(run.Id, stale, Samples.Approver(1), _now), 1, None);

        Assert.Equal(DecisionRecordKind.NotAwaiting, record.Kind);
        Assert.Equal(RunStatus.AwaitingApproval, record.Status);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
        Assert.Empty(await Store.Runs.GetDecisionsAsync(run.Id, None));
    }

    [Fact]
    public async Task Decision_on_a_run_no_longer_awaiting_approval_is_not_recorded()
    {
        var (run, plan) = await AwaitingRunAsync(quorum: 1);
        await Store.Runs.TransitionAsync(run.Id, RunStatus.AwaitingApproval, RunStatus.Cancelled, RunChanges.None, None);

        var record = await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), _now), 1, None);

        Assert.Equal(new DecisionRecord(DecisionRecordKind.NotAwaiting, RunStatus.Cancelled, 0), record);
        Assert.Empty(await Store.Runs.GetDecisionsAsync(run.Id, None));
    }

    [Fact]
    public async Task Twenty_concurrent_approvals_with_quorum_one_close_the_run_once_and_it_is_claimed_once()
    {
        var (run, plan) = await AwaitingRunAsync(quorum: 1);

        var records = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() =>
            Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(i), _now), 1, None))));

        var closed = Assert.Single(records, r => r.Kind == DecisionRecordKind.Closed);
        Assert.Equal(RunStatus.Approved, closed.Status);
        Assert.All(records.Where(r => r.Kind != DecisionRecordKind.Closed), r => Assert.Equal(DecisionRecordKind.NotAwaiting, r.Kind));
        Assert.Single(await Store.Runs.GetDecisionsAsync(run.Id, None));
        Assert.Equal(RunStatus.Approved, await StatusAsync(run.Id));

        var claims = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() =>
            Store.Runs.ClaimApprovedAsync($"worker-{i}", _now.AddMinutes(5), None))));

        Assert.Equal(run.Id, Assert.Single(claims, c => c is not null));
        Assert.Equal(RunStatus.Running, await StatusAsync(run.Id));
        Assert.Null(await Store.Runs.ClaimApprovedAsync("late-worker", _now.AddMinutes(5), None));
    }

    [Fact]
    public async Task Twenty_concurrent_approvals_with_quorum_three_count_each_once_and_close_once()
    {
        var (run, plan) = await AwaitingRunAsync(quorum: 3);

        var records = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() =>
            Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(i), _now), 3, None))));

        Assert.Single(records, r => r.Kind == DecisionRecordKind.Closed);
        Assert.Equal(2, records.Count(r => r.Kind == DecisionRecordKind.Counted));
        Assert.Equal(17, records.Count(r => r.Kind == DecisionRecordKind.NotAwaiting));
        Assert.Equal(3, (await Store.Runs.GetDecisionsAsync(run.Id, None)).Count);
    }

    [Fact]
    public async Task Claim_takes_the_earliest_approved_run_first_and_nothing_when_none_is_approved()
    {
        Assert.Null(await Store.Runs.ClaimApprovedAsync("worker", _now.AddMinutes(5), None));
        var (later, laterPlan) = await AwaitingRunAsync();
        var (earlier, earlierPlan) = await AwaitingRunAsync();
        await AwaitingRunAsync(); // still waiting: never claimed
        await Store.Runs.DecideAsync(Samples.Approve(later.Id, laterPlan, Samples.Approver(1), _now.AddSeconds(10)), 1, None);
        await Store.Runs.DecideAsync(Samples.Approve(earlier.Id, earlierPlan, Samples.Approver(1), _now.AddSeconds(5)), 1, None);

        Assert.Equal(earlier.Id, await Store.Runs.ClaimApprovedAsync("worker", _now.AddMinutes(5), None));
        Assert.Equal(later.Id, await Store.Runs.ClaimApprovedAsync("worker", _now.AddMinutes(5), None));
        Assert.Null(await Store.Runs.ClaimApprovedAsync("worker", _now.AddMinutes(5), None));
    }

    [Fact]
    public async Task Claim_records_the_lease_owner()
    {
        var (run, plan) = await AwaitingRunAsync();
        await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), _now), 1, None);

        await Store.Runs.ClaimApprovedAsync("instance-a", _now.AddMinutes(5), None);

        Assert.Equal("instance-a", await Store.ScalarAsync<string>("SELECT lease_owner FROM runs WHERE id = $id;", ("$id", run.Id)));
    }

    [Fact]
    public async Task Expiry_moves_only_overdue_runs_awaiting_approval()
    {
        var (overdue, _) = await AwaitingRunAsync(expiresAt: _now.AddMinutes(-1));
        var (dueNow, _) = await AwaitingRunAsync(expiresAt: _now);
        var (fresh, _) = await AwaitingRunAsync(expiresAt: _now.AddMinutes(10));
        var (approved, approvedPlan) = await AwaitingRunAsync(expiresAt: _now.AddMinutes(-5));
        await Store.Runs.DecideAsync(Samples.Approve(approved.Id, approvedPlan, Samples.Approver(1), _now.AddMinutes(-6)), 1, None);
        var planning = await CreateRunAsync();

        var expired = await Store.Runs.ExpireOverdueAsync(_now, None);

        Assert.Equal(new[] { overdue.Id, dueNow.Id }.Order(StringComparer.Ordinal), expired.Order(StringComparer.Ordinal));
        Assert.Equal(RunStatus.Expired, await StatusAsync(overdue.Id));
        Assert.Equal("approval expired", (await Store.Runs.GetAsync(overdue.Id, None))!.Outcome);
        Assert.Equal(RunStatus.Expired, await StatusAsync(dueNow.Id));
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(fresh.Id));
        Assert.Equal(RunStatus.Approved, await StatusAsync(approved.Id));
        Assert.Equal(RunStatus.Planning, await StatusAsync(planning.Id));
        Assert.Empty(await Store.Runs.ExpireOverdueAsync(_now, None));
    }

    [Fact]
    public async Task Decision_after_expiry_is_not_recorded()
    {
        var (run, plan) = await AwaitingRunAsync(expiresAt: _now.AddMinutes(-1));
        await Store.Runs.ExpireOverdueAsync(_now, None);

        var record = await Store.Runs.DecideAsync(Samples.Approve(run.Id, plan, Samples.Approver(1), _now), 1, None);

        Assert.Equal(DecisionRecordKind.NotAwaiting, record.Kind);
        Assert.Equal(RunStatus.Expired, record.Status);
    }
}
