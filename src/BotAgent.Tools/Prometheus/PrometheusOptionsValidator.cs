using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Prometheus;

/// <summary>Checks <c>Tools:Prometheus</c> at start when the tool is enabled, naming the key that is wrong.</summary>
internal sealed class PrometheusOptionsValidator : IValidateOptions<PrometheusOptions>
{
    public ValidateOptionsResult Validate(string? name, PrometheusOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        if (options.BaseUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" } url)
            return ValidateOptionsResult.Fail($"{PrometheusOptions.Section}:BaseUrl: set the absolute http(s) address of the Prometheus server (e.g. http://prometheus:9090) when prometheus.query is enabled.");
        if (!string.IsNullOrEmpty(url.UserInfo))
            return ValidateOptionsResult.Fail($"{PrometheusOptions.Section}:BaseUrl: put credentials in {PrometheusOptions.Section}:Headers (e.g. Authorization), not in the URL.");
        return ValidateOptionsResult.Success;
    }
}
