namespace BotAgent.Storage.Tests.Sqlite;

public sealed class SqliteMigratorTests
{
    [Fact]
    public async Task Migration_creates_the_folder_and_the_database_file()
    {
        await using var store = await SqliteStore.CreateAsync(migrate: false);
        Assert.False(Directory.Exists(Path.GetDirectoryName(store.DatabasePath)));

        await store.Migrator.MigrateAsync(CancellationToken.None);

        Assert.True(File.Exists(store.DatabasePath));
    }

    [Fact]
    public async Task Migration_puts_the_database_in_wal_mode()
    {
        await using var store = await SqliteStore.CreateAsync();

        Assert.Equal("wal", await store.ScalarAsync<string>("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Migration_creates_the_tables_the_stores_use()
    {
        await using var store = await SqliteStore.CreateAsync();

        foreach (var table in new[] { "runs", "plan_versions", "approval_decisions", "step_attempts", "planning_events", "execution_events", "inbox", "outbox" })
            Assert.Equal(1L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name;", ("$name", table)));
    }

    [Fact]
    public async Task Running_the_migrations_twice_applies_each_script_once_and_keeps_data()
    {
        await using var store = await SqliteStore.CreateAsync();
        var applied = await store.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations;");
        var run = Samples.NewRun(DateTimeOffset.UtcNow);
        await store.Runs.CreateAsync(run, CancellationToken.None);

        await store.Migrator.MigrateAsync(CancellationToken.None);

        Assert.True(applied > 0);
        Assert.Equal(applied, await store.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations;"));
        Assert.NotNull(await store.Runs.GetAsync(run.Id, CancellationToken.None));
        Assert.True(await store.Migrator.IsCurrentAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Database_is_current_after_migration()
    {
        await using var store = await SqliteStore.CreateAsync();

        Assert.True(await store.Migrator.IsCurrentAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Database_missing_a_migration_is_not_current()
    {
        await using var store = await SqliteStore.CreateAsync();
        await using (var connection = store.Open())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM schema_migrations;";
            await command.ExecuteNonQueryAsync();
        }

        Assert.False(await store.Migrator.IsCurrentAsync(CancellationToken.None));
    }
}
