using System.CommandLine;
using BotAgent.Teams;

namespace BotAgent.Commands;

/// <summary><c>pack-manifest [--out &lt;file.zip&gt;]</c>: the Teams app package with this bot's ids.</summary>
internal static class PackManifestCommand
{
    public static Command Create(CommandSettings settings)
    {
        var output = new Option<string>("--out")
        {
            Description = $"The zip to write (default {ManifestPackager.DefaultPackageName}).",
            HelpName = "file.zip",
        };
        var command = new Command(
            "pack-manifest",
            "Write the Teams app package with the ids from MicrosoftAppId and BotFramework:TeamsAppId, and "
            + "BotFramework:PublicBaseUrl's host in validDomains. " + CommandSettings.Note) { output };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(output), settings, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? output, CommandSettings settings, CancellationToken cancellationToken)
    {
        if (!TeamsAppSettings.TryRead(settings.CreateBuilder().Configuration, out var app, out var problem))
        {
            await Console.Error.WriteLineAsync(problem);
            return 2;
        }

        var path = Path.GetFullPath(output ?? ManifestPackager.DefaultPackageName);
        try
        {
            await new ManifestPackager(ManifestPackager.ShippedDirectory).PackAsync(app, path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            await Console.Error.WriteLineAsync($"Could not pack the Teams app from {ManifestPackager.ShippedDirectory}: {ex.Message}");
            return 1;
        }
        Console.WriteLine($"Wrote {path} (Teams app id {app.AppId}, bot id {app.BotId}).");
        Console.WriteLine("In Teams: Apps > Manage your apps > Upload an app > Upload a custom app, and choose this file.");
        return 0;
    }
}
