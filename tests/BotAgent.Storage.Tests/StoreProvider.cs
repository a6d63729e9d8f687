namespace BotAgent.Storage.Tests;

/// <summary>The database a store test runs against: the first argument of every provider theory.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}
