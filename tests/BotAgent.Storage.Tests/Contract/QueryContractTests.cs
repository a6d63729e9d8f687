using BotAgent.Core.Runs;
using BotAgent.Core.Traces;

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
        Assert.Equal(3, await Queries.CountRunsAsync(new RunQuery(Limit: 1), None));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Offset: 1, Limit: 1)));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Status: RunStatus.Failed)));
        Assert.Equal([recent.Id, old.Id], await Ids(new RunQuery(Text: "payment")));
        Assert.Equal(2, await Queries.CountRunsAsync(new RunQuery(Text: "PAYMENT"), None));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Text: "100%")));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Text: "of_e")));
        Assert.Empty(await Ids(new RunQuery(Text: "100_")));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Text: "%")));
        Assert.Equal([middle.Id, old.Id], await Ids(new RunQuery(From: Now.AddHours(-2), To: Now)));
        Assert.Equal([recent.Id], await Ids(new RunQuery(From: Now.AddMinutes(-1))));
        Assert.Equal([middle.Id], await Ids(new RunQuery(Status: RunStatus.Failed, Text: "LOGS", From: Now.AddDays(-1), To: Now.AddDays(1))));
    }
}
