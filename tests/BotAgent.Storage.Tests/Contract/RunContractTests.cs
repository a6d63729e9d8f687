using System.Text.Json;
using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Storage.Tests.Contract;

public sealed class RunContractTests : RunStoreContract
{
    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Created_run_reads_back_with_its_requester_and_conversation_reference(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();

        var loaded = await Runs.GetAsync(run.Id, None);

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

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task The_goal_verdict_is_written_with_the_final_transition_and_what_is_being_done_is_cleared_by_it(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval, RunChanges.None, None);
        await Transitions.TransitionAsync(run.Id, RunStatus.AwaitingApproval, RunStatus.Approved, RunChanges.None, None);
        await Transitions.TransitionAsync(run.Id, RunStatus.Approved, RunStatus.Running, RunChanges.None, None);
        await Runs.SetActivityAsync(run.Id, "Looking at the results of step 2…", None);
        Assert.Equal("Looking at the results of step 2…", (await Runs.GetAsync(run.Id, None))!.Activity);

        var goal = new GoalVerdict(GoalStatus.NotMet, "s2 found nothing", ["s2"]);
        await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.Succeeded, new RunChanges(Outcome: "all steps succeeded", Goal: goal), None);

        var loaded = await Runs.GetAsync(run.Id, None);
        Assert.Equal(GoalStatus.NotMet, loaded!.GoalVerdict!.Verdict);
        Assert.Equal("s2 found nothing", loaded.GoalVerdict.Reason);
        Assert.Equal(["s2"], loaded.GoalVerdict.Evidence);
        Assert.Null(loaded.Activity);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Conversation_without_optional_parts_reads_back_unchanged(StoreProvider provider)
    {
        await UseAsync(provider);
        var conversation = new BotAgent.Core.Intake.ConversationKey("slack", "slack", "C0123", null, null);
        var run = Samples.NewRun(Now, conversation: conversation);
        await Runs.CreateAsync(run, None);

        var loaded = await Runs.GetAsync(run.Id, None);

        Assert.Equal(conversation, loaded!.Conversation);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Unknown_run_is_null(StoreProvider provider)
    {
        await UseAsync(provider);
        Assert.Null(await Runs.GetAsync("no-such-run", None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Run_with_the_source_key_of_an_existing_run_is_not_created_and_the_first_run_is_returned(StoreProvider provider)
    {
        await UseAsync(provider);
        var first = Samples.NewRun(Now, goal: "check https://a.example/") with { SourceKey = "botframework:msteams:act-7" };
        var again = Samples.NewRun(Now.AddSeconds(3), goal: "check https://b.example/") with { SourceKey = "botframework:msteams:act-7" };

        var created = await Runs.CreateAsync(first, None);
        var returned = await Runs.CreateAsync(again, None);

        Assert.Equal(first, created);
        Assert.Equal(first.Id, returned.Id);
        Assert.Equal("check https://a.example/", returned.Goal);
        Assert.Equal("botframework:msteams:act-7", returned.SourceKey);
        Assert.Equal(first.CreatedAt, returned.CreatedAt);
        Assert.Null(await Runs.GetAsync(again.Id, None));
        Assert.Equal(1L, await RunCountAsync());
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Twenty_concurrent_creates_with_one_source_key_store_one_run_and_all_get_it(StoreProvider provider)
    {
        await UseAsync(provider);

        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            Runs.CreateAsync(Samples.NewRun(Now) with { SourceKey = "slack:T1:Ev42" }, None))));

        Assert.Single(runs.Select(r => r.Id).Distinct());
        Assert.Equal(1L, await RunCountAsync());
        Assert.NotNull(await Runs.GetAsync(runs[0].Id, None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Runs_without_a_source_key_are_all_created(StoreProvider provider)
    {
        await UseAsync(provider);

        await Runs.CreateAsync(Samples.NewRun(Now), None);
        await Runs.CreateAsync(Samples.NewRun(Now), None);

        Assert.Equal(2L, await RunCountAsync());
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Approval_requirement_written_with_a_transition_reads_back(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var expires = Now.AddMinutes(30);
        var requirement = new ApprovalRequirement(RiskLevel.High, 2, RequesterMayApprove: false, ["29:bob", "aad-carol"]);

        var moved = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: expires, RiskLevel: RiskLevel.High, Approval: requirement), None);

        Assert.True(moved);
        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.AwaitingApproval, loaded.Status);
        Assert.Equal(expires, loaded.ExpiresAt);
        Assert.Equal(RiskLevel.High, loaded.RiskLevel);
        Assert.NotNull(loaded.Approval);
        Assert.Equal(RiskLevel.High, loaded.Approval.Risk);
        Assert.Equal(2, loaded.Approval.Quorum);
        Assert.False(loaded.Approval.RequesterMayApprove);
        Assert.Equal(["29:bob", "aad-carol"], loaded.Approval.Approvers);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Transition_without_changes_keeps_earlier_fields(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, _) = await AwaitingRunAsync(quorum: 3);

        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.AwaitingApproval, RunStatus.Cancelled, new RunChanges(Outcome: "cancelled by Alice"), None));

        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Cancelled, loaded.Status);
        Assert.Equal("cancelled by Alice", loaded.Outcome);
        Assert.Equal(3, loaded.Approval!.Quorum);
        Assert.NotNull(loaded.ExpiresAt);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Saved_plan_reads_back_and_becomes_the_current_version(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var plan = Samples.Version(1, Samples.Plan(), Now);

        await Runs.SavePlanAsync(run.Id, plan, None);

        var loaded = await Runs.GetPlanAsync(run.Id, 1, None);
        Assert.NotNull(loaded);
        Assert.Equal(1, loaded.Version);
        Assert.Equal(plan.Hash, loaded.Hash);
        Assert.Equal("offline", loaded.Planner);
        Assert.Equal(plan.CreatedAt, loaded.CreatedAt);
        Assert.Equal(PlanDocument.ToJson(plan.Plan), PlanDocument.ToJson(loaded.Plan));
        Assert.Equal(plan.Hash, PlanDocument.Hash(loaded.Plan));
        Assert.Equal(["s1"], loaded.Plan.Steps[1].DependsOn);
        Assert.Equal(20, loaded.Plan.Steps[1].Args.GetProperty("limit").GetInt32());
        var current = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(1, current.PlanVersion);
        Assert.Equal(plan.Hash, current.PlanHash);
        Assert.Equal(RiskLevel.ReadOnly, current.RiskLevel);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Revised_plan_becomes_current_and_the_earlier_version_is_kept(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var first = Samples.Version(1, Samples.Plan(), Now);
        var revised = Samples.Version(2, Samples.Plan(url: "https://status.example.com/v2/health") with { RiskLevel = RiskLevel.Write }, Now.AddSeconds(5));

        await Runs.SavePlanAsync(run.Id, first, None);
        await Runs.SavePlanAsync(run.Id, revised, None);

        Assert.Equal(first.Hash, (await Runs.GetPlanAsync(run.Id, 1, None))!.Hash);
        Assert.Equal(revised.Hash, (await Runs.GetPlanAsync(run.Id, 2, None))!.Hash);
        Assert.Null(await Runs.GetPlanAsync(run.Id, 3, None));
        var current = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(2, current.PlanVersion);
        Assert.Equal(revised.Hash, current.PlanHash);
        Assert.Equal(RiskLevel.Write, current.RiskLevel);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Saving_a_plan_version_again_keeps_the_first(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var first = Samples.Version(1, Samples.Plan(), Now);
        var replay = Samples.Version(1, Samples.Plan(url: "https://other.example/health"), Now.AddSeconds(30));
        Assert.NotEqual(first.Hash, replay.Hash);

        await Runs.SavePlanAsync(run.Id, first, None);
        await Runs.SavePlanAsync(run.Id, replay, None);

        var kept = (await Runs.GetPlanAsync(run.Id, 1, None))!;
        Assert.Equal(first.Hash, kept.Hash);
        Assert.Equal(first.CreatedAt, kept.CreatedAt);
        Assert.Equal("https://status.example.com/health", kept.Plan.Steps[0].Args.GetProperty("url").GetString());
        var current = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(1, current.PlanVersion);
        Assert.Equal(first.Hash, current.PlanHash);
        Assert.Equal(1L, await PlanVersionCountAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Transition_is_compare_and_set(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();

        var first = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval, RunChanges.None, None);
        var second = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.AwaitingApproval, RunChanges.None, None);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(RunStatus.AwaitingApproval, await StatusAsync(run.Id));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Transition_from_a_state_the_run_has_left_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.Cancelled, new RunChanges(Outcome: "cancelled"), None));

        var late = await Transitions.TransitionAsync(run.Id, RunStatus.Planning, RunStatus.Failed, new RunChanges(Outcome: "planning failed"), None);

        Assert.False(late);
        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Cancelled, loaded.Status);
        Assert.Equal("cancelled", loaded.Outcome);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Concurrent_transitions_from_one_state_succeed_once(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        var targets = new[] { RunStatus.AwaitingApproval, RunStatus.PolicyDenied, RunStatus.Failed, RunStatus.Cancelled };

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Transitions.TransitionAsync(run.Id, RunStatus.Planning, targets[i % targets.Length], RunChanges.None, None))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Illegal_transition_throws_and_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        (RunStatus From, RunStatus To)[] illegal =
        [
            (RunStatus.Planning, RunStatus.Running),
            (RunStatus.Planning, RunStatus.Approved),
            (RunStatus.AwaitingApproval, RunStatus.Succeeded),
            (RunStatus.Succeeded, RunStatus.Running),
            (RunStatus.Rejected, RunStatus.Approved),
            (RunStatus.AwaitingDecision, RunStatus.Running),
        ];

        foreach (var (from, to) in illegal)
            await Assert.ThrowsAsync<InvalidOperationException>(() => Transitions.TransitionAsync(run.Id, from, to, RunChanges.None, None));

        Assert.Equal(RunStatus.Planning, await StatusAsync(run.Id));
    }
}
