using BotAgent.Core.Intake;
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
    public async Task A_run_stored_before_keys_named_their_space_gets_its_teams_channel_as_its_space(StoreProvider provider)
    {
        await UseAsync(provider);
        var thread = Samples.NewRun(Now, conversation: new ConversationKey("botframework", "msteams", "19:room@thread.tacv2;messageid=17", "17", null));
        var slack = Samples.NewRun(Now, conversation: new ConversationKey("slack", "slack", "C0;odd", "1.0", null));
        await Store.Runs.CreateAsync(thread, None);
        await Store.Runs.CreateAsync(slack, None);
        // Keys without a space, as rows were written before, and the migration that names it not yet applied.
        await Store.ExecuteAsync("DELETE FROM schema_migrations WHERE id = '0007_conversation_space';");

        await Store.Migrator.MigrateAsync(None);

        var migrated = (await Store.Runs.GetAsync(thread.Id, None))!.Conversation;
        Assert.Equal("19:room@thread.tacv2", migrated.Space);
        Assert.True(migrated.IsSameConversationAs(migrated with { ConversationId = "19:room@thread.tacv2;messageid=99", Space = "19:room@thread.tacv2" }));
        Assert.Null((await Store.Runs.GetAsync(slack.Id, None))!.Conversation.Space);
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
