using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Contract;

public sealed class QueryContractTests : RunStoreContract
{
    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Runs_are_listed_newest_first_filtered_by_status_text_and_time_and_counted(StoreProvider provider)
    {
        await UseAsync(provider);
        var old = Samples.NewRun(Now.AddHours(-2), goal: "Check the PAYMENT api");
        var middle = Samples.NewRun(Now.AddHours(-1), goal: "search logs for 100% of_errors");
        var recent = Samples.NewRun(Now, goal: "check https://example.com/Payments");
        foreach (var run in new[] { old, middle, recent })
            await Runs.CreateAsync(run, None);
        Assert.True(await Transitions.TransitionAsync(middle.Id, RunStatus.Planning, RunStatus.Failed, new RunChanges(Outcome: "x"), None));

        async Task<IReadOnlyList<string>> Ids(RunQuery q) => [.. (await Queries.ListRunsAsync(q, None)).Select(r => r.Id)];

        Assert.Equal([recent.Id, middle.Id, old.Id], await Ids(new RunQuery()));
        Assert.Equal(3, await Queries.CountRunsAsync(new RunQuery(Limit: 1), atMost: 10, None));
        Assert.Equal(2, await Queries.CountRunsAsync(new RunQuery(), atMost: 2, None)); // stops counting at atMost
        Assert.Equal(0, await Queries.CountRunsAsync(new RunQuery(), atMost: 0, None));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Offset: 1, Limit: 1)));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Status: RunStatus.Failed)));
        Assert.Equal([recent.Id, old.Id], await Ids(new RunQuery(Text: "payment")));
        Assert.Equal(2, await Queries.CountRunsAsync(new RunQuery(Text: "PAYMENT"), atMost: 10, None));
        Assert.Equal(1, await Queries.CountRunsAsync(new RunQuery(Text: "PAYMENT"), atMost: 1, None));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Text: "100%")));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Text: "of_e")));
        Assert.Empty(await Ids(new RunQuery(Text: "100_")));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Text: "%")));
        Assert.Equal([middle.Id, old.Id], await Ids(new RunQuery(From: Now.AddHours(-2), To: Now)));
        Assert.Equal([recent.Id], await Ids(new RunQuery(From: Now.AddMinutes(-1))));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Status: RunStatus.Failed, Text: "LOGS", From: Now.AddDays(-1), To: Now.AddDays(1))));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_conversations_runs_are_listed_newest_first_up_to_the_limit_and_no_other_conversations(StoreProvider provider)
    {
        await UseAsync(provider);
        var here = Samples.Conversation();
        var old = Samples.NewRun(Now.AddMinutes(-30), conversation: here);
        var middle = Samples.NewRun(Now.AddMinutes(-20), conversation: here);
        var recent = Samples.NewRun(Now.AddMinutes(-10), conversation: here);
        var elsewhere = Samples.NewRun(Now, conversation: Samples.Conversation("19:elsewhere@thread.tacv2"));
        foreach (var run in new[] { middle, elsewhere, old, recent })
            await Runs.CreateAsync(run, None);

        async Task<IReadOnlyList<string>> Ids(int limit) => [.. (await Queries.ListByConversationAsync(here.OrderingKey, limit, activeOnly: false, None)).Select(r => r.Id)];

        Assert.Equal([recent.Id, middle.Id, old.Id], await Ids(10));
        Assert.Equal([recent.Id, middle.Id], await Ids(2));
        Assert.Equal([elsewhere.Id], (await Queries.ListByConversationAsync(elsewhere.Conversation.OrderingKey, 10, activeOnly: false, None)).Select(r => r.Id));
        Assert.Empty(await Queries.ListByConversationAsync(Samples.Conversation("19:nobody").OrderingKey, 10, activeOnly: false, None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Active_only_lists_the_runs_of_a_conversation_that_have_not_ended(StoreProvider provider)
    {
        await UseAsync(provider);
        var running = await RunningRunAsync(); // claimed before another run is approved: a claim takes the earliest
        var (deciding, _) = await AwaitingDecisionRunAsync();
        var approved = await ApprovedRunAsync();
        var (awaiting, _) = await AwaitingRunAsync();
        var planning = await CreateRunAsync();
        var (rejected, plan) = await AwaitingRunAsync();
        await Transitions.DecideAsync(Samples.Reject(rejected.Id, plan, Samples.Approver(1), Now), 1, None);
        var failed = await CreateRunAsync();
        Assert.True(await Transitions.TransitionAsync(failed.Id, RunStatus.Planning, RunStatus.Failed, new RunChanges(Outcome: "planning failed"), None));
        var key = Samples.Conversation().OrderingKey;

        var active = await Queries.ListByConversationAsync(key, 50, activeOnly: true, None);
        var all = await Queries.ListByConversationAsync(key, 50, activeOnly: false, None);

        Assert.Equal(new[] { planning.Id, awaiting.Id, approved.Id, deciding.Id, running.Id }.Order(StringComparer.Ordinal), active.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(7, all.Count);
    }
}
