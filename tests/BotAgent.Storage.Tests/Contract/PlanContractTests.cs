using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>Plan versions: each kept as first saved, the latest saved the current one.</summary>
public sealed class PlanContractTests : RunStoreContract
{
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

        Assert.True(await Runs.SavePlanAsync(run.Id, first, None));
        Assert.False(await Runs.SavePlanAsync(run.Id, replay, None)); // the caller reads back which one was kept

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
    public async Task Saving_a_plan_marks_the_run_updated_when_the_plan_was_made(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        Time.Advance(TimeSpan.FromMinutes(5));
        var plan = Samples.Version(1, Samples.Plan(), Now.AddSeconds(-30));

        await Runs.SavePlanAsync(run.Id, plan, None);

        Assert.Equal(plan.CreatedAt, (await Runs.GetAsync(run.Id, None))!.UpdatedAt);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Saving_a_plan_version_again_with_another_risk_keeps_the_first_plans_risk(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await CreateRunAsync();
        await Runs.SavePlanAsync(run.Id, Samples.Version(1, Samples.Plan(), Now), None);

        await Runs.SavePlanAsync(run.Id, Samples.Version(1, Samples.Plan(url: "https://other.example/health") with { RiskLevel = RiskLevel.High }, Now), None);

        Assert.Equal(RiskLevel.ReadOnly, (await Runs.GetAsync(run.Id, None))!.RiskLevel);
    }
}
