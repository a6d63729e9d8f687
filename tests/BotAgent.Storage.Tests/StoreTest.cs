using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Storage.Tests;

/// <summary>
/// A store test: each test opens a fresh, migrated database of the provider it runs on
/// (<c>[Theory, OnSqlite, OnPostgres]</c>) and it is deleted after the test. Time is a fake clock.
/// </summary>
public abstract class StoreTest : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;
    protected static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private TestStore? _store;

    protected FakeTimeProvider Time { get; } = new(Start);

    protected DateTimeOffset Now => Time.GetUtcNow();

    internal TestStore Store => _store ?? throw new InvalidOperationException("Call UseAsync(provider) first.");

    protected virtual async Task UseAsync(StoreProvider provider, bool migrate = true) =>
        _store = await TestStore.CreateAsync(provider, Time, migrate);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
    }
}
