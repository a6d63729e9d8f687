using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Logs;

/// <summary>Checks <c>Tools:Logs</c> at start when the tool is enabled, naming the key that is wrong.</summary>
internal sealed class LogsSearchOptionsValidator : IValidateOptions<LogsSearchOptions>
{
    public ValidateOptionsResult Validate(string? name, LogsSearchOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var problems = new List<string>();
        if (!options.Roots.Any(r => !string.IsNullOrWhiteSpace(r)))
            problems.Add($"{LogsSearchOptions.Section}:Roots: list at least one absolute path or glob (e.g. /var/log/app/*.log) when logs.search is enabled.");
        for (var i = 0; i < options.Roots.Count; i++)
        {
            try
            {
                if (!string.IsNullOrWhiteSpace(options.Roots[i]))
                    PathGlob.Parse(options.Roots[i]);
            }
            catch (FormatException ex)
            {
                problems.Add($"{LogsSearchOptions.Section}:Roots:{i}: {ex.Message}; a root is an absolute path or glob.");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
