namespace BotAgent.Storage.Tests.Stores;

public sealed class StoreMigratorTests : StoreTest
{
    private static readonly string[] Tables =
        ["runs", "plan_versions", "approval_decisions", "step_attempts", "step_resolutions", "planning_events", "execution_events", "inbox", "outbox"];

    /// <summary>The provider's migration scripts embedded in the storage assembly.</summary>
    internal static int ScriptCount(StoreProvider provider) =>
        typeof(StoreMigrator).Assembly.GetManifestResourceNames().Count(n => n.StartsWith($"BotAgent.Storage.{provider}.Migrations.", StringComparison.Ordinal));

    [Theory, OnSqlite, OnPostgres]
    public async Task Migration_creates_the_tables_the_stores_use(StoreProvider provider)
    {
        await UseAsync(provider);

        foreach (var table in Tables)
            Assert.Equal(0L, await Store.ScalarAsync<long>($"SELECT COUNT(*) FROM {table};"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Migration_records_every_script_of_the_provider(StoreProvider provider)
    {
        await UseAsync(provider);

        var applied = await Store.QueryAsync<string>("SELECT id FROM schema_migrations ORDER BY id;");

        Assert.Equal(ScriptCount(provider), applied.Count);
        Assert.Equal(["0001_initial", "0002_durability"], applied.Take(2));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Running_the_migrations_twice_applies_each_script_once_and_keeps_data(StoreProvider provider)
    {
        await UseAsync(provider);
        var applied = await Store.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations;");
        var run = Samples.NewRun(Now);
        await Store.Runs.CreateAsync(run, None);

        await Store.Migrator.MigrateAsync(None);

        Assert.True(applied > 0);
        Assert.Equal(applied, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations;"));
        Assert.NotNull(await Store.Runs.GetAsync(run.Id, None));
        Assert.True(await Store.Migrator.IsCurrentAsync(None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Database_is_current_after_migration(StoreProvider provider)
    {
        await UseAsync(provider);

        Assert.True(await Store.Migrator.IsCurrentAsync(None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Database_never_migrated_is_not_current(StoreProvider provider)
    {
        await UseAsync(provider, migrate: false);

        Assert.False(await Store.Migrator.IsCurrentAsync(None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Database_missing_a_migration_is_not_current(StoreProvider provider)
    {
        await UseAsync(provider);

        await Store.ExecuteAsync("DELETE FROM schema_migrations WHERE id = '0002_durability';");

        Assert.False(await Store.Migrator.IsCurrentAsync(None));
    }
}
