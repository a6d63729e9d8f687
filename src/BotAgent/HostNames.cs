using Microsoft.AspNetCore.HostFiltering;

namespace BotAgent;

/// <summary>
/// The host names this bot answers to, computed once at start: <c>AllowedHosts</c> when set (ASP.NET Core's forms:
/// <c>*</c>, <c>name</c>, <c>*.domain</c>, IPv6 in brackets, ports ignored), otherwise the loopback names and the hosts
/// of <c>Urls</c> and <c>BotFramework:PublicBaseUrl</c>.
/// </summary>
internal sealed record HostNames(IReadOnlyList<string> Allowed)
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    public bool AnyName => Allowed.Contains("*");

    public bool Allows(HostString host)
    {
        if (AnyName || !host.HasValue)
            return true; // HTTP/1.0 without Host: there is no name to have been rebound
        var name = host.Host.TrimEnd('.');
        foreach (var entry in Allowed)
        {
            if (string.Equals(entry, name, StringComparison.OrdinalIgnoreCase))
                return true;
            if (entry.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>Registers the names and turns the built-in filter off: it would refuse the probes too (<see cref="HostNameFilter"/>).</summary>
    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(For(configuration));
        services.PostConfigure<HostFilteringOptions>(options => options.AllowedHosts = ["*"]);
    }

    /// <summary>The names to allow; <c>*</c> only when told so, or when the bot listens everywhere and nothing says its public name.</summary>
    public static HostNames For(IConfiguration configuration)
    {
        if (configuration["AllowedHosts"] is { Length: > 0 } configured)
            return new([.. configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
        var urls = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? BotAgentApp.DefaultUrl)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
            .ToList();
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
        if (Uri.TryCreate(configuration["BotFramework:PublicBaseUrl"], UriKind.Absolute, out var uri))
            hosts.Add(uri.IdnHost);
        else if (everywhere)
            return new(["*"]); // local mode's /api/messages and the trace pages' local access check the host themselves
        return new([.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)]);
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
