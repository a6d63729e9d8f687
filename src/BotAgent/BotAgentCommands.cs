using System.CommandLine;
using System.CommandLine.Invocation;
using BotAgent.Commands;

namespace BotAgent;

/// <summary>
/// Maintenance verbs of the same executable: <c>dotnet run --project src/BotAgent -- backup &lt;file&gt;</c>,
/// <c>… -- pack-manifest</c>, <c>… -- export --run &lt;id&gt;</c>, each with <c>--help</c>.
/// They read the same configuration as the bot (see <see cref="CommandSettings"/>).
/// </summary>
public static class BotAgentCommands
{
    /// <summary>The exit code of a command line no verb can act on: an unknown verb, a bad, missing or unknown option.</summary>
    public const int UsageError = 2;

    private static readonly string[] HelpAndVersion = ["--help", "-h", "-?", "/h", "/?", "--version"];

    /// <returns>An exit code when <paramref name="args"/> named a verb or asked for help; null to run the bot.</returns>
    public static Task<int?> TryRunAsync(string[] args) =>
        // No verb: the bot itself, every argument left to its configuration as before (--urls http://…, --Key value).
        // Decided before anything of System.CommandLine is touched, so the bot does not load it.
        args.Length == 0 || (args[0].StartsWith('-') && !HelpAndVersion.Contains(args[0], StringComparer.Ordinal))
            ? Task.FromResult<int?>(null)
            : RunVerbAsync(args);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<int?> RunVerbAsync(string[] args)
    {
        var settings = new CommandSettings();
        var root = Root(settings);
        var tokens = settings.TakeFrom(args, DeclaredOptions(root));
        var result = root.Parse(tokens, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // Ctrl+C ends a verb at once, as it always did; no handler of ours is installed in the test host either.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        if (result.Action is not ParseErrorAction)
            return await result.InvokeAsync(invocation);

        if (result.CommandResult.Command == root)
            await Console.Error.WriteLineAsync($"Unknown command{(IsNearly(args[0], root.Subcommands.Select(c => c.Name)) ? $" '{args[0]}'" : "")}. The commands are {string.Join(", ", root.Subcommands.Select(c => c.Name))}; without one, the bot runs.");
        else
        {
            // A value the parser did not expect may be a secret put in the wrong place: name options, never echo values.
            foreach (var token in result.UnmatchedTokens)
                await Console.Error.WriteLineAsync(token.StartsWith('-') ? $"Unknown option '{token.Split('=', 2)[0]}'." : "An unexpected value (not shown: it may be a secret).");
            foreach (var error in result.Errors.Where(e => !result.UnmatchedTokens.Any(t => e.Message.Contains(t, StringComparison.Ordinal))))
                await Console.Error.WriteLineAsync(error.Message);
        }
        var verb = result.CommandResult.Command == root ? "" : " " + result.CommandResult.Command.Name;
        await Console.Error.WriteLineAsync($"See '{root.Name}{verb} --help'.");
        return UsageError;
    }

    /// <summary>
    /// A mistyped verb (two edits or fewer from one), safe to repeat back; anything else may be a value in the wrong
    /// place, even a secret, and is not.
    /// </summary>
    private static bool IsNearly(string token, IEnumerable<string> verbs) =>
        token.Length <= 40 && verbs.Any(verb => Distance(token.ToLowerInvariant(), verb) <= 2);

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    private static RootCommand Root(CommandSettings settings)
    {
        var root = new RootCommand(
            "BotAgent, an approval-gated agent bot. Without a command it runs the bot (settings: appsettings.json, "
            + "environment variables, --Key=value). The commands below read the same settings; give them as --Key=value, "
            + "for example --ConnectionStrings:BotAgent=\"Data Source=data/botagent.db\".")
        {
            BackupCommand.Create(settings),
            PackManifestCommand.Create(settings),
            ExportCommand.Create(settings),
        };
        var help = new Command("help", "Show this help.");
        help.SetAction(_ => root.Parse(["--help"]).Invoke());
        root.Add(help);
        return root;
    }

    private static HashSet<string> DeclaredOptions(Command command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            names.Add(option.Name);
            names.UnionWith(option.Aliases);
        }
        foreach (var verb in command.Subcommands)
            names.UnionWith(DeclaredOptions(verb));
        return names;
    }
}
