using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The store: SQLite (default) with its migrations.</summary>
    public static IServiceCollection AddBotAgentStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName) ?? StorageOptions.DefaultSqliteConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IStoreMigrator, SqliteMigrator>();
        services.AddSingleton<IRunStore, SqliteRunStore>();
        services.AddSingleton<IStepAttemptStore, SqliteStepAttemptStore>();
        services.AddSingleton<SqliteTraceStore>();
        services.AddSingleton<ITraceSink>(sp => sp.GetRequiredService<SqliteTraceStore>());
        services.AddSingleton<ITraceReader>(sp => sp.GetRequiredService<SqliteTraceStore>());
        services.AddSingleton<IInbox, SqliteInbox>();
        services.AddSingleton<IOutbox, SqliteOutbox>();
        return services;
    }
}
