using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using BotAgent.Core.Runs;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Mcp;

/// <summary>Checks each server's settings at start, naming the key that is wrong.</summary>
internal sealed partial class McpOptionsValidator : IValidateOptions<McpOptions>
{
    // No dots: the server name is the middle of 'mcp.{server}.{tool}'.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServerName();

    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        var problems = new List<string>();
        foreach (var (server, settings) in options.Servers)
        {
            var key = $"{McpOptions.Section}:Servers:{server}";
            if (!ServerName().IsMatch(server))
                problems.Add($"{key}: a server name is 1 to 64 letters, digits, '_' or '-' (it becomes part of 'mcp.{server}.<tool>').");
            var hasCommand = !string.IsNullOrWhiteSpace(settings.Command);
            if (hasCommand == (settings.Url is not null))
                problems.Add($"{key}: set either Command (a stdio server) or Url (a streamable HTTP server), not both and not neither.");
            if (settings.Url is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
                problems.Add($"{key}:Url: '{url}' is not an absolute http(s) URL.");
            foreach (var result in Annotations(settings))
                problems.Add($"{key}:{string.Join(',', result.MemberNames)}: {result.ErrorMessage}");
            foreach (var (tool, toolSettings) in settings.Tools)
            {
                if (toolSettings.Risk is { } risk && !RiskLevels.TryParse(risk, out _))
                    problems.Add($"{key}:Tools:{tool}:Risk: '{risk}' is not a risk level (read_only, write, high).");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static List<ValidationResult> Annotations(McpServerOptions settings)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
        return results;
    }
}
