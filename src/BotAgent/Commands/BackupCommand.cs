using System.CommandLine;
using BotAgent.Storage;
using BotAgent.Storage.Sqlite;

namespace BotAgent.Commands;

/// <summary><c>backup &lt;file&gt;</c>: a consistent copy of the SQLite database, safe while the bot runs.</summary>
internal static class BackupCommand
{
    public static Command Create(CommandSettings settings)
    {
        var file = new Argument<string>("file") { Description = "Where to write the copy (an existing file is replaced)." };
        var command = new Command("backup", "Write a consistent copy of the SQLite database while the bot runs (for PostgreSQL use pg_dump). " + CommandSettings.Note) { file };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetRequiredValue(file), settings, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string file, CommandSettings settings, CancellationToken cancellationToken)
    {
        var builder = settings.CreateBuilder();
        builder.Services.AddBotAgentStorage(builder.Configuration);
        using var host = builder.Build();
        if (host.Services.GetRequiredService<Database>() is not SqliteDatabase sqlite)
        {
            await Console.Error.WriteLineAsync("backup copies the SQLite database; for PostgreSQL use pg_dump.");
            return 2;
        }
        await sqlite.BackupAsync(file, cancellationToken);
        Console.WriteLine($"Wrote a consistent copy of {sqlite.DataSource} to {Path.GetFullPath(file)}.");
        return 0;
    }
}
