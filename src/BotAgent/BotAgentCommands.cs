using BotAgent.Storage;
using BotAgent.Storage.Sqlite;
using BotAgent.Teams;
using BotAgent.Traces;

namespace BotAgent;

/// <summary>
/// Maintenance verbs of the same executable: <c>dotnet run --project src/BotAgent -- backup &lt;file&gt;</c>,
/// <c>… -- pack-manifest</c>, <c>… -- export --run &lt;id&gt;</c>.
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
            "export" => await ExportAsync(args),
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

    /// <summary><c>export --run &lt;id&gt;</c> or <c>export [--from &lt;time&gt;] [--to &lt;time&gt;]</c>, JSON lines to stdout or <c>--out</c>.</summary>
    private static async Task<int> ExportAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var settingArgs = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i].Split('=', 2)[0];
            if (name is not ("--run" or "--from" or "--to" or "--out"))
                settingArgs.Add(args[i]);
            else if (args[i].Contains('=', StringComparison.Ordinal))
                options[name] = args[i][(name.Length + 1)..];
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                options[name] = args[++i];
            else
                return Usage($"export {name} needs a value.");
        }
        var runId = options.GetValueOrDefault("--run");
        if (!TryTime(options.GetValueOrDefault("--from"), out var from) || !TryTime(options.GetValueOrDefault("--to"), out var to))
            return Usage("export --from and --to take an ISO 8601 date or time (2026-11-25, 2026-11-25T10:00:00Z); without an offset it is UTC.");
        var hasRange = from is not null || to is not null;
        if ((runId is not null && hasRange) || (runId is null && !hasRange))
            return Usage("export needs either --run <id> or a time range (--from and/or --to).");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. settingArgs], ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBotAgentStorage(builder.Configuration);
        builder.Services.AddTraceViewer(builder.Configuration);
        using var host = builder.Build();
        // Opening a missing SQLite file would create an empty database where the user expected theirs.
        if (host.Services.GetRequiredService<Database>() is SqliteDatabase sqlite && sqlite.DataSource != ":memory:" && !File.Exists(sqlite.DataSource))
        {
            await Console.Error.WriteLineAsync($"There is no database at {Path.GetFullPath(sqlite.DataSource)} (ConnectionStrings:BotAgent).");
            return 2;
        }
        if (!await host.Services.GetRequiredService<IStoreMigrator>().IsCurrentAsync(CancellationToken.None))
        {
            await Console.Error.WriteLineAsync($"The database {host.Services.GetRequiredService<Database>().Describe()} is not at this version's schema; start the bot once to migrate it.");
            return 2;
        }

        var export = host.Services.GetRequiredService<LedgerExport>();
        var path = options.GetValueOrDefault("--out");
        await using var output = path is null ? Console.OpenStandardOutput() : File.Create(path);
        var count = runId is not null
            ? await export.WriteRunAsync(runId, output, CancellationToken.None)
            : await export.WriteRangeAsync(from, to, output, CancellationToken.None);
        if (runId is not null && count == 0)
        {
            await Console.Error.WriteLineAsync($"There is no run '{runId}'.");
            return 1;
        }
        // The summary goes to stderr so that stdout stays pure JSON lines.
        await Console.Error.WriteLineAsync($"Exported {count} run(s){(path is null ? "" : " to " + Path.GetFullPath(path))}.");
        return 0;
    }

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
            return true;
        if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            return false;
        value = parsed;
        return true;
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
              BotAgent export --run <id> [--out <file.jsonl>]
              BotAgent export [--from <time>] [--to <time>] [--out <file.jsonl>]
                                            write runs' whole ledgers (plans, decisions, tool calls, trace events;
                                            secrets redacted) as JSON lines, one run per line, newest first; times are
                                            ISO 8601 (2026-11-25 or 2026-11-25T10:00:00Z), the range is [from, to)
            """);
        return problem is null ? 0 : 2;
    }
}
