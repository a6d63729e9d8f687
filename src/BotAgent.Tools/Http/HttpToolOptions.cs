using System.ComponentModel.DataAnnotations;

namespace BotAgent.Tools.Http;

/// <summary>Configuration section <c>Tools:Http</c>.</summary>
public sealed class HttpToolOptions
{
    public const string Section = "Tools:Http";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Hosts the tool may call: <c>*</c> (any public host), <c>example.com</c>, <c>*.example.com</c>,
    /// an IP address or a CIDR range. Addresses that are not globally reachable (loopback, private, link-local,
    /// carrier-grade NAT, documentation, benchmarking, multicast, reserved, and the IPv6 forms that embed one:
    /// see SpecialAddresses) are refused unless listed explicitly (by name, address or range), also after DNS
    /// resolution and on redirects; <c>*</c> never reaches them.
    /// The embedded default (appsettings.json) is <c>["*"]</c>; empty allows nothing.
    /// </summary>
    /// <remarks>No default here: the configuration binder appends to a list, so a default would survive every override.</remarks>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Bytes of a response body read; the rest is discarded.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Headers added to every request to a host, by host name then header name
    /// (<c>Tools:Http:Headers:api.example.com:Authorization</c>): credentials stay in configuration, out of
    /// plans, cards and traces. Every value is treated as a secret and redacted from tool results. They go
    /// only to that exact host (any port), never to another host a redirect points at, and they replace a
    /// header of the same name that a step sets.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
