using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Storage.Tests.Sqlite;

/// <summary>
/// The stores composed as the host composes them, over a real SQLite file in a fresh temporary folder.
/// The folder is deleted on dispose.
/// </summary>
internal sealed class SqliteStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SqliteStore(ServiceProvider services, string directory, string databasePath)
    {
        _services = services;
        Directory = directory;
        DatabasePath = databasePath;
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    public IStoreMigrator Migrator => _services.GetRequiredService<IStoreMigrator>();
    public IRunStore Runs => _services.GetRequiredService<IRunStore>();
    public IStepAttemptStore Attempts => _services.GetRequiredService<IStepAttemptStore>();
    public IInbox Inbox => _services.GetRequiredService<IInbox>();
    public IOutbox Outbox => _services.GetRequiredService<IOutbox>();
    public ITraceSink Traces => _services.GetRequiredService<ITraceSink>();
    public ITraceReader TraceReader => _services.GetRequiredService<ITraceReader>();

    /// <param name="time">Defaults to the system clock.</param>
    /// <param name="migrate">Run the migrations before returning.</param>
    public static async Task<SqliteStore> CreateAsync(TimeProvider? time = null, bool migrate = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "botagent-storage-tests", Guid.NewGuid().ToString("N"));
        // The database lives in a folder that does not exist yet: the migrator creates it.
        var databasePath = Path.Combine(directory, "data", "botagent.db");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={databasePath}" })
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddLogging();
        services.AddBotAgentStorage(configuration);
        var store = new SqliteStore(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), directory, databasePath);
        if (migrate)
            await store.Migrator.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>A separate, unpooled connection for asserting what is in the file.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
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
