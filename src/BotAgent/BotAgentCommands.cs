using BotAgent.Storage;
using BotAgent.Storage.Sqlite;

namespace BotAgent;

/// <summary>
/// Maintenance verbs of the same executable: <c>dotnet run --project src/BotAgent -- backup &lt;file&gt;</c>.
/// They read the same configuration as the bot.
/// </summary>
public static class BotAgentCommands
{
    /// <returns>An exit code when <paramref name="args"/> named a verb; null to run the bot.</returns>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
            return null;
        return args[0] switch
        {
            "backup" => await BackupAsync(args),
            "help" or "--help" => Usage(),
            _ => Usage($"Unknown command '{args[0]}'."),
        };
    }

    private static async Task<int> BackupAsync(string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith('-'))
            return Usage("backup needs the path of the copy to write.");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args[2..], ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddBotAgentStorage(builder.Configuration);
        using var host = builder.Build();
        if (host.Services.GetRequiredService<Database>() is not SqliteDatabase sqlite)
        {
            await Console.Error.WriteLineAsync("backup copies the SQLite database; for PostgreSQL use pg_dump.");
            return 2;
        }
        await sqlite.BackupAsync(args[1], CancellationToken.None);
        Console.WriteLine($"Wrote a consistent copy of {sqlite.DataSource} to {Path.GetFullPath(args[1])}.");
        return 0;
    }

    private static int Usage(string? problem = null)
    {
        if (problem is not null)
            Console.Error.WriteLine(problem);
        Console.WriteLine("""
            Usage:
              BotAgent                      run the bot (settings: appsettings.json, environment, --Key=value)
              BotAgent backup <file>        write a consistent copy of the SQLite database while the bot runs
            """);
        return problem is null ? 0 : 2;
    }
}
