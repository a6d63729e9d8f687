using Microsoft.AspNetCore.HostFiltering;

namespace BotAgent;

/// <summary>
/// ASP.NET Core's host filtering, defaulting to the names the bot is configured to be reached at instead of any name:
/// the loopback names, the hosts of <c>Urls</c> and of <c>BotFramework:PublicBaseUrl</c>. A request naming another
/// host (a DNS-rebinding page, a scanner) gets 400 before any endpoint sees it. <c>AllowedHosts</c> set explicitly
/// wins; a bot listening on every interface with no public address configured cannot know its name, so there it stays
/// <c>*</c> and the bot says so at start.
/// </summary>
internal static class AllowedHostsDefaults
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    public static IServiceCollection AddAllowedHostsDefaults(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["AllowedHosts"]))
            return services;
        var hosts = For(configuration);
        services.PostConfigure<HostFilteringOptions>(options => options.AllowedHosts = hosts);
        return services;
    }

    /// <summary>The names to allow; <c>*</c> only when the bot listens everywhere and nothing says its public name.</summary>
    public static List<string> For(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? BotAgentApp.DefaultUrl)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
            .ToList();
        var publicBase = configuration["BotFramework:PublicBaseUrl"];
        var local = string.IsNullOrWhiteSpace(configuration["MicrosoftAppId"]);
        var hosts = new List<string>(Loopback);
        var everywhere = false;
        foreach (var url in urls)
        {
            var host = HostOf(url);
            if (host is null or "*" or "+" or "0.0.0.0" or "[::]")
                everywhere = true;
            else
                hosts.Add(host);
        }
        if (Uri.TryCreate(publicBase, UriKind.Absolute, out var uri))
            hosts.Add(uri.IdnHost);
        else if (everywhere && !local)
            return ["*"];
        return [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    // "http://+:80" and "http://*:80" are not URIs the Uri class accepts: read the host between "//" and the port.
    private static string? HostOf(string url)
    {
        var start = url.IndexOf("//", StringComparison.Ordinal);
        if (start < 0)
            return null;
        var rest = url[(start + 2)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        return (end <= 0 ? rest : rest[..end]).ToLowerInvariant();
    }
}
