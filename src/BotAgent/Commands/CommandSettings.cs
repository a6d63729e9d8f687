namespace BotAgent.Commands;

/// <summary>
/// The configuration a verb reads, like the bot: appsettings.json, environment variables, and every
/// <c>--Key=value</c> on its command line that names none of its options (<c>--ConnectionStrings:BotAgent=…</c>), or
/// <c>--Section:Key value</c> as the bot takes it. A bare undeclared <c>--name value</c> is not a setting, so that a
/// mistyped option (<c>--ot file.zip</c>) is an error; a name with a section (<c>:</c>) can only be a setting.
/// </summary>
public sealed class CommandSettings
{
    /// <summary>For each verb's help.</summary>
    public const string Note = "Settings as for the bot, as --Key=value or --Section:Key value (--ConnectionStrings:BotAgent=\"Data Source=data/botagent.db\").";

    private readonly List<string> _args = [];

    /// <summary>The settings, as arguments for a host builder.</summary>
    public string[] Args => [.. _args];

    /// <returns>The other tokens, for the parser.</returns>
    public IReadOnlyList<string> TakeFrom(IReadOnlyList<string> args, IReadOnlySet<string> declaredOptions)
    {
        var rest = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2 && !declaredOptions.Contains(arg[..equals]))
                _args.Add(arg);
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal) && equals < 0
                && !declaredOptions.Contains(arg) && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                _args.Add($"{arg}={args[++i]}");
            else
                rest.Add(arg);
        }
        return rest;
    }

    public HostApplicationBuilder CreateBuilder() =>
        Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Args, ContentRootPath = AppContext.BaseDirectory });
}
