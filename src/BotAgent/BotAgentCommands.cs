using BotAgent.Storage;
using BotAgent.Storage.Sqlite;
using BotAgent.Teams;

namespace BotAgent;

/// <summary>
/// Maintenance verbs of the same executable: <c>dotnet run --project src/BotAgent -- backup &lt;file&gt;</c>,
/// <c>… -- pack-manifest</c>.
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
            "pack-manifest" => await PackManifestAsync(args),
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

    private static async Task<int> PackManifestAsync(string[] args)
    {
        var settingArgs = new List<string>();
        string? output = null;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length && !args[i + 1].StartsWith('-'))
                output = args[++i];
            else if (args[i].StartsWith("--out=", StringComparison.Ordinal))
                output = args[i]["--out=".Length..];
            else if (args[i] == "--out")
                return Usage("pack-manifest --out needs the path of the zip to write.");
            else
                settingArgs.Add(args[i]);
        }

        var configuration = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. settingArgs], ContentRootPath = AppContext.BaseDirectory }).Configuration;
        if (!TeamsAppSettings.TryRead(configuration, out var settings, out var problem))
        {
            await Console.Error.WriteLineAsync(problem);
            return 2;
        }

        var path = Path.GetFullPath(output ?? ManifestPackager.DefaultPackageName);
        try
        {
            await new ManifestPackager(ManifestPackager.ShippedDirectory).PackAsync(settings, path, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            await Console.Error.WriteLineAsync($"Could not pack the Teams app from {ManifestPackager.ShippedDirectory}: {ex.Message}");
            return 1;
        }
        Console.WriteLine($"Wrote {path} (Teams app id {settings.AppId}, bot id {settings.BotId}).");
        Console.WriteLine("In Teams: Apps > Manage your apps > Upload an app > Upload a custom app, and choose this file.");
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
              BotAgent pack-manifest [--out <file.zip>]
                                            write the Teams app package (default botagent-teams-app.zip) with the ids
                                            from MicrosoftAppId and BotFramework:TeamsAppId, and BotFramework:PublicBaseUrl's
                                            host in validDomains
            """);
        return problem is null ? 0 : 2;
    }
}
