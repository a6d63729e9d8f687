namespace BotAgent.Storage.Tests.Sqlite;

/// <summary>A fresh, migrated database per test (xunit makes a new instance of the class for every test).</summary>
public abstract class StoreTest : IAsyncLifetime
{
    private SqliteStore? _store;

    internal SqliteStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected virtual TimeProvider? Time => null;

    public async Task InitializeAsync() => _store = await SqliteStore.CreateAsync(Time);

    public async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
    }
}
