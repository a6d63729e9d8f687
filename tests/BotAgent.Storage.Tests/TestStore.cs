using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Core.Traces.Statistics;
using BotAgent.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Storage.Tests;

/// <summary>
/// The stores composed as the host composes them, over a database of their own: a SQLite file in a fresh
/// temporary folder, or a fresh PostgreSQL database on the test server. Both are deleted on dispose.
/// </summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider _time;
    private readonly ServiceProvider _services;
    private readonly List<ServiceProvider> _otherInstances = [];
    private readonly string? _postgresDatabase;

    private TestStore(StoreProvider provider, Dictionary<string, string?> settings, TimeProvider time, string? directory, string? postgresDatabase)
    {
        Provider = provider;
        _settings = settings;
        _time = time;
        Directory = directory;
        _postgresDatabase = postgresDatabase;
        _services = Compose(settings, time);
    }

    public StoreProvider Provider { get; }

    /// <summary>SQLite: the temporary folder holding the database's folder.</summary>
    public string? Directory { get; }

    /// <summary>SQLite: the database file.</summary>
    public string DatabasePath => Path.Combine(Directory ?? throw new InvalidOperationException("Only SQLite has a file."), "data", "botagent.db");

    public IStoreMigrator Migrator => _services.GetRequiredService<IStoreMigrator>();
    public IRunStore Runs => _services.GetRequiredService<IRunStore>();
    public IRunTransitions Transitions => _services.GetRequiredService<IRunTransitions>();
    public IRunLeases Leases => _services.GetRequiredService<IRunLeases>();
    public IRunQueries Queries => _services.GetRequiredService<IRunQueries>();
    public IRunReminders Reminders => _services.GetRequiredService<IRunReminders>();

    /// <summary>The store behind every run port; retention is only here, since only the store's own service calls it.</summary>
    public RunStore RunStore => _services.GetRequiredService<RunStore>();
    public IStepAttemptStore Attempts => _services.GetRequiredService<IStepAttemptStore>();
    public IInbox Inbox => _services.GetRequiredService<IInbox>();
    public IOutbox Outbox => _services.GetRequiredService<IOutbox>();
    public IConversationLog ConversationLog => _services.GetRequiredService<IConversationLog>();
    public IConversationRecord ConversationRecord => _services.GetRequiredService<IConversationRecord>();
    public ITraceSink Traces => _services.GetRequiredService<ITraceSink>();
    public ITraceReader TraceReader => _services.GetRequiredService<ITraceReader>();
    public IRunStatistics Statistics => _services.GetRequiredService<IRunStatistics>();
    public StoreRecovery Recovery => _services.GetRequiredService<StoreRecovery>();
    public Database Database => _services.GetRequiredService<Database>();
    public SqliteDatabase Sqlite => _services.GetRequiredService<SqliteDatabase>();

    /// <param name="migrate">Run the migrations before returning.</param>
    public static async Task<TestStore> CreateAsync(StoreProvider provider, TimeProvider time, bool migrate = true)
    {
        if (provider == StoreProvider.InMemory)
            throw new ArgumentException("The in-memory fake has the run ports only: use it from a RunStoreContract case.", nameof(provider));
        TestStore store;
        if (provider == StoreProvider.Sqlite)
        {
            var directory = Path.Combine(Path.GetTempPath(), "botagent-storage-tests", Guid.NewGuid().ToString("N"));
            // The database lives in a folder that does not exist yet: the migrator creates it.
            var settings = new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={Path.Combine(directory, "data", "botagent.db")}" };
            store = new TestStore(provider, settings, time, directory, null);
        }
        else
        {
            var name = PostgresServer.NewDatabaseName();
            var connectionString = await PostgresServer.CreateDatabaseAsync(name);
            var settings = new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["ConnectionStrings:BotAgent"] = connectionString,
            };
            store = new TestStore(provider, settings, time, null, name);
        }
        if (migrate)
            await store.Migrator.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>Another instance of the bot's storage on the same database (its own services and connection pool).</summary>
    public IServiceProvider AnotherInstance()
    {
        var services = Compose(_settings, _time);
        _otherInstances.Add(services);
        return services;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<T>(sql, args)];
    }

    public async Task<int> ExecuteAsync(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteAsync(sql, args);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _otherInstances)
            await instance.DisposeAsync();
        await _services.DisposeAsync();
        if (_postgresDatabase is not null)
            await PostgresServer.DropDatabaseAsync(_postgresDatabase);
        if (Directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                if (System.IO.Directory.Exists(Directory))
                    System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the OS cleans the temp folder eventually.
            }
        }
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings, TimeProvider time)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddLogging();
        services.AddBotAgentStorage(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
