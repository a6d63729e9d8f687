using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Http;

/// <summary>
/// Decides which hosts and addresses the HTTP tool may reach. Names are checked when a plan is
/// validated; addresses are checked again after DNS resolution, when the connection is made, so a name
/// that resolves to a private address (or changes to one) cannot reach inside the network.
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
            return IsAddressAllowed(host, address)
                ? null
                : $"{DescribeAddress(address)} address {address} is not allowed (Tools:Http:AllowedHosts)";
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
        if (IsInternal(address))
            return IsListedExplicitly(host.Trim('[', ']'));
        return _anyPublicHost || IsListedExplicitly(host);
    }

    private bool IsListedExplicitly(string host) =>
        _names.Contains(host) || _suffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    private static bool IsLocalName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static string DescribeAddress(IPAddress address) => IsInternal(address)
        ? IPAddress.IsLoopback(address) ? "loopback" : "private or link-local"
        : "public";

    /// <summary>Loopback, private (RFC 1918, unique-local), link-local, CGNAT, unspecified and multicast addresses.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        // IPv6 forms that carry an IPv4 address (NAT64, 6to4, IPv4-compatible) are judged by that address.
        if (EmbeddedIPv4(address) is { } embedded)
            return IsInternal(embedded) || IPAddress.IsLoopback(embedded);
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || b[0] == 0
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || b[0] >= 224;
        }
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
    }

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return null;
        var b = address.GetAddressBytes();
        // 64:ff9b::/96 and 64:ff9b:1::/48 (NAT64): the last four bytes.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
            return new IPAddress(b.AsSpan(12, 4));
        // 2002::/16 (6to4): bytes 2-5.
        if (b[0] == 0x20 && b[1] == 0x02)
            return new IPAddress(b.AsSpan(2, 4));
        // ::a.b.c.d (IPv4-compatible, deprecated but still parsed): twelve zero bytes first.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !IPAddress.IsLoopback(address) && !address.Equals(IPAddress.IPv6Any))
            return new IPAddress(b.AsSpan(12, 4));
        return null;
    }
}
