using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Http;

/// <summary>
/// Decides which hosts and addresses the HTTP tool may reach. Names are checked when a plan is
/// validated; addresses are checked again after DNS resolution, when the connection is made, so a name
/// that resolves to a private or other special-purpose address (or changes to one) cannot reach inside the network.
/// </summary>
public sealed class HostPolicy
{
    private readonly bool _anyPublicHost;
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private readonly List<IPNetwork> _networks = [];

    public HostPolicy(IOptions<HttpToolOptions> options)
    {
        foreach (var raw in options.Value.AllowedHosts)
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
                continue;
            if (entry == "*")
                _anyPublicHost = true;
            else if (entry.StartsWith("*.", StringComparison.Ordinal))
                _suffixes.Add(entry[1..]);
            else if (IPNetwork.TryParse(entry, out var network))
                _networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address))
                _networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else
                _names.Add(entry.TrimEnd('.'));
        }
    }

    /// <summary>Null when the URL may be requested; otherwise why not.</summary>
    public string? CheckUrl(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
            return $"'{url}' is not an absolute http(s) URL";
        if (!string.IsNullOrEmpty(url.UserInfo))
            return "URLs with credentials in them are not allowed; configure secrets as headers instead";

        var host = url.IdnHost.TrimEnd('.');
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            if (IsAddressAllowed(host, address))
                return null;
            return SpecialAddresses.Find(address) is { } purpose
                ? $"address {address} is not allowed: it is {purpose}; list it in Tools:Http:AllowedHosts to reach it"
                : $"address {address} is not in the allow-list (Tools:Http:AllowedHosts)";
        }
        if (IsLocalName(host) && !IsListedExplicitly(host))
            return $"host '{host}' is a loopback name and is not listed in Tools:Http:AllowedHosts";
        return _anyPublicHost || IsListedExplicitly(host)
            ? null
            : $"host '{host}' is not in the allow-list (Tools:Http:AllowedHosts)";
    }

    /// <summary>Whether a resolved address of <paramref name="host"/> may be connected to.</summary>
    public bool IsAddressAllowed(string host, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (_networks.Any(n => n.Contains(address)))
            return true;
        // A special-purpose address only for a host listed by name (or the address listed, above): "*" never reaches it.
        if (IsInternal(address))
            return IsListedExplicitly(host.Trim('[', ']'));
        return _anyPublicHost || IsListedExplicitly(host);
    }

    private bool IsListedExplicitly(string host) =>
        _names.Contains(host) || _suffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    private static bool IsLocalName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Addresses that are not globally reachable: loopback, private, link-local, shared (CGNAT), documentation,
    /// benchmarking, multicast, reserved and the IPv6 forms that lead to them (see <see cref="SpecialAddresses"/>).
    /// </summary>
    public static bool IsInternal(IPAddress address) => SpecialAddresses.Find(address) is not null;

    /// <summary>An address and what it is set aside for, for a refusal: "192.0.2.1 is a TEST-NET-1 documentation address (RFC 5737)".</summary>
    internal static string Describe(IPAddress address) =>
        SpecialAddresses.Find(address) is { } purpose ? $"{address} is {purpose}" : $"{address} is not in the allow-list";
}
