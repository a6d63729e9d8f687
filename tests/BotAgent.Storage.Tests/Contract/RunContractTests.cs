using BotAgent.Core.Approvals;
using BotAgent.Core.Runs;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>A run made once per inbound activity, and read back as it was made.</summary>
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
    public async Task A_new_run_keeps_only_what_it_is_made_of_and_the_rest_comes_with_its_moves(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = Samples.NewRun(Now) with
        {
            PlanVersion = 3,
            PlanHash = "0123456789abcdef",
            RiskLevel = RiskLevel.High,
            Approval = new ApprovalRequirement(RiskLevel.High, 2, false, null),
            ExpiresAt = Now.AddHours(1),
            Outcome = "done already",
            GoalVerdict = new GoalVerdict(GoalStatus.Met, "it was", []),
            Activity = "Looking",
            SourceKey = "slack:T1:Ev1",
        };

        await Runs.CreateAsync(run, None);

        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(run.Goal, loaded.Goal);
        Assert.Equal("slack:T1:Ev1", loaded.SourceKey);
        Assert.Equal(0, loaded.PlanVersion);
        Assert.Null(loaded.PlanHash);
        Assert.Null(loaded.RiskLevel);
        Assert.Null(loaded.Approval);
        Assert.Null(loaded.ExpiresAt);
        Assert.Null(loaded.Outcome);
        Assert.Null(loaded.GoalVerdict);
        Assert.Null(loaded.Activity);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_second_run_with_the_id_of_an_existing_run_leaves_the_first_in_place(StoreProvider provider)
    {
        await UseAsync(provider);
        var first = await CreateRunAsync();

        await Runs.CreateAsync(Samples.NewRun(Now.AddSeconds(1), goal: "something else") with { Id = first.Id }, None);

        Assert.Equal(first.Goal, (await Runs.GetAsync(first.Id, None))!.Goal);
        Assert.Equal(1L, await RunCountAsync());
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task What_is_being_done_for_an_unknown_run_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);

        await Runs.SetActivityAsync("no-such-run", "Looking", None);

        Assert.Null(await Runs.GetAsync("no-such-run", None));
        Assert.Equal(0L, await RunCountAsync());
    }
}
