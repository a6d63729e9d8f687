using BotAgent.Storage.Tests.Stores;
using BotAgent.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Storage.Tests.Postgres;

public sealed class PostgresMigrationTests
{
    [PostgresFact]
    public async Task Five_instances_migrating_one_database_at_once_apply_each_script_once()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres, new FakeTimeProvider(), migrate: false);
        var instances = Enumerable.Range(0, 5).Select(_ => store.AnotherInstance().GetRequiredService<IStoreMigrator>()).ToList();

        await Task.WhenAll(instances.Select(m => Task.Run(() => m.MigrateAsync(CancellationToken.None))));

        var applied = await store.QueryAsync<string>("SELECT id FROM schema_migrations ORDER BY id;");
        Assert.Equal(StoreMigratorTests.ScriptCount(StoreProvider.Postgres), applied.Count);
        Assert.Equal(applied.Count, applied.Distinct().Count());
        foreach (var migrator in instances)
            Assert.True(await migrator.IsCurrentAsync(CancellationToken.None));
    }

    [PostgresFact]
    public async Task Migration_lock_is_released_after_migrating()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres, new FakeTimeProvider());

        Assert.Equal(0L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database());"));
    }
}
