using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Core.Traces.Statistics;
using BotAgent.Storage.Postgres;
using BotAgent.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The store: SQLite (default) or PostgreSQL, with the same repositories and numbered migrations.</summary>
    public static IServiceCollection AddBotAgentStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName) ?? StorageOptions.DefaultSqliteConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var provider = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"];
        if (string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
            services.AddSingleton<Database, PostgresDatabase>();
        else
        {
            services.AddSingleton<SqliteDatabase>();
            services.AddSingleton<Database>(sp => sp.GetRequiredService<SqliteDatabase>());
        }

        services.AddSingleton<IStoreMigrator, StoreMigrator>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<IRunStore>(sp => sp.GetRequiredService<RunStore>());
        services.AddSingleton<IRunTransitions>(sp => sp.GetRequiredService<RunStore>());
        services.AddSingleton<IRunLeases>(sp => sp.GetRequiredService<RunStore>());
        services.AddSingleton<IRunQueries>(sp => sp.GetRequiredService<RunStore>());
        services.AddSingleton<IRunReminders>(sp => sp.GetRequiredService<RunStore>());
        services.AddSingleton<IStepAttemptStore, StepAttemptStore>();
        services.AddSingleton<TraceStore>();
        services.AddSingleton<ITraceSink>(sp => sp.GetRequiredService<TraceStore>());
        services.AddSingleton<ITraceReader>(sp => sp.GetRequiredService<TraceStore>());
        services.AddSingleton<IRunStatistics, RunStatisticsStore>();
        services.AddSingleton<IInbox, InboxStore>();
        services.AddSingleton<IOutbox, OutboxStore>();
        services.AddSingleton<IConversationLog, ConversationLogStore>();
        services.AddSingleton<IConversationRecord, ConversationRecordStore>();
        services.AddSingleton<StoreRecovery>();
        services.AddSingleton<StoreStartup>();
        services.AddHostedService<TraceRetentionService>();
        return services;
    }
}
