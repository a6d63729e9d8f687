namespace BotAgent.Storage.Tests;

/// <summary>What a store test runs against: the first argument of every provider theory.</summary>
public enum StoreProvider
{
    /// <summary>The in-memory fake the Core tests use (run ports only: the contract cases).</summary>
    InMemory,
    Sqlite,
    Postgres,
}
