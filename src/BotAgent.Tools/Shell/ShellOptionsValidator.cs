using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Shell;

/// <summary>Checks <c>Tools:Shell</c> at start when the tool is enabled: every allowed program must be found.</summary>
internal sealed class ShellOptionsValidator : IValidateOptions<ShellOptions>
{
    public ValidateOptionsResult Validate(string? name, ShellOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var problems = new List<string>();
        if (!options.AllowedExecutables.Any(e => !string.IsNullOrWhiteSpace(e)))
            problems.Add($"{ShellOptions.Section}:AllowedExecutables: list the programs shell.run may start (absolute paths or names in {ShellOptions.Section}:Path) when it is enabled.");
        for (var i = 0; i < options.AllowedExecutables.Count; i++)
        {
            var entry = options.AllowedExecutables[i].Trim();
            if (entry.Length > 0 && AllowedExecutables.Locate(entry, options.Path) is null)
            {
                problems.Add(entry.Contains('/', StringComparison.Ordinal)
                    ? $"{ShellOptions.Section}:AllowedExecutables:{i}: '{entry}' is not an absolute path to an existing file."
                    : $"{ShellOptions.Section}:AllowedExecutables:{i}: '{entry}' was not found in {ShellOptions.Section}:Path ({options.Path}).");
            }
        }
        if (options.WorkingDirectory is { Length: > 0 } dir && !Directory.Exists(dir))
            problems.Add($"{ShellOptions.Section}:WorkingDirectory: '{dir}' is not an existing folder.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
