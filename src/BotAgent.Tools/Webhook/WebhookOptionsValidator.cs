using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Webhook;

/// <summary>Checks <c>Tools:Webhook</c> at start when the tool is enabled, naming the key that is wrong (never the URL, which may hold a token).</summary>
internal sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex TargetName();

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var problems = new List<string>();
        if (options.Targets.Count == 0)
            problems.Add($"{WebhookOptions.Section}:Targets: configure at least one target (Url) when webhook.post is enabled.");
        foreach (var (target, settings) in options.Targets)
        {
            var key = $"{WebhookOptions.Section}:Targets:{target}";
            if (!TargetName().IsMatch(target))
                problems.Add($"{key}: a target name is 1 to 64 letters, digits, '_' or '-'.");
            if (settings.Url is not { IsAbsoluteUri: true, Scheme: "http" or "https" } url)
                problems.Add($"{key}:Url: set an absolute http(s) URL.");
            else if (!string.IsNullOrEmpty(url.UserInfo))
                problems.Add($"{key}:Url: put credentials in {key}:Headers, not in the URL.");
            foreach (var header in settings.Headers.Keys.Where(h => h.Equals(WebhookPostTool.IdempotencyHeader, StringComparison.OrdinalIgnoreCase) || h.Equals("Host", StringComparison.OrdinalIgnoreCase)))
                problems.Add($"{key}:Headers:{header}: the tool sets this header itself.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
