using System.Net;
using System.Net.Sockets;

namespace BotAgent.Tools.Http;

/// <summary>
/// Addresses that are not globally reachable, so a request to them reaches inside a network or somewhere unintended:
/// the blocks IANA's IPv4 and IPv6 Special-Purpose Address Registries mark as not globally reachable, multicast and
/// the reserved space, and in IPv6 everything outside 2000::/3 (the only global unicast space IANA has allocated).
/// IPv6 forms that carry an IPv4 address a router translates (IPv4-mapped, NAT64's well-known prefix, 6to4) are
/// judged by that IPv4 address; forms no public host uses (IPv4-compatible, IPv4-translated, local-use NAT64) are
/// refused outright, since some stacks still reach the embedded address through them.
/// </summary>
internal static class SpecialAddresses
{
    // First match wins, so a block inside a larger one comes first.
    private static readonly (IPNetwork Network, AddressPurpose Purpose)[] IPv4 =
    [
        Block("0.0.0.0/8", "a 'this network' address", "RFC 791, RFC 1122"),
        Block("10.0.0.0/8", "a private address", "RFC 1918"),
        Block("100.64.0.0/10", "a shared carrier-grade NAT address", "RFC 6598"),
        Block("127.0.0.0/8", "a loopback address", "RFC 1122"),
        Block("169.254.0.0/16", "a link-local address", "RFC 3927"),
        Block("172.16.0.0/12", "a private address", "RFC 1918"),
        Block("192.0.0.0/24", "an IETF protocol assignment", "RFC 6890"),
        Block("192.0.2.0/24", "a TEST-NET-1 documentation address", "RFC 5737"),
        Block("192.88.99.0/24", "a deprecated 6to4 relay anycast address", "RFC 7526"),
        Block("192.168.0.0/16", "a private address", "RFC 1918"),
        Block("198.18.0.0/15", "a benchmarking address", "RFC 2544"),
        Block("198.51.100.0/24", "a TEST-NET-2 documentation address", "RFC 5737"),
        Block("203.0.113.0/24", "a TEST-NET-3 documentation address", "RFC 5737"),
        Block("224.0.0.0/4", "a multicast address", "RFC 5771"),
        Block("255.255.255.255/32", "the limited broadcast address", "RFC 919"),
        Block("240.0.0.0/4", "a reserved address", "RFC 1112"),
    ];

    private static readonly (IPNetwork Network, AddressPurpose Purpose)[] IPv6 =
    [
        Block("::/128", "the unspecified address", "RFC 4291"),
        Block("::1/128", "a loopback address", "RFC 4291"),
        Block("::/96", "a deprecated IPv4-compatible address", "RFC 4291 section 2.5.5.1"),
        Block("::ffff:0:0:0/96", "a SIIT IPv4-translated address", "RFC 2765, RFC 6145"),
        Block("64:ff9b:1::/48", "a local-use NAT64 address", "RFC 8215"),
        Block("100::/64", "a discard-only address", "RFC 6666"),
        Block("2001::/32", "a Teredo address", "RFC 4380"),
        Block("2001:2::/48", "a benchmarking address", "RFC 5180"),
        Block("2001:10::/28", "a deprecated ORCHID address", "RFC 4843"),
        Block("2001::/23", "an IETF protocol assignment", "RFC 2928"),
        Block("2001:db8::/32", "a documentation address", "RFC 3849"),
        Block("3fff::/20", "a documentation address", "RFC 9637"),
        Block("5f00::/16", "an SRv6 segment identifier", "RFC 9602"),
        Block("fc00::/7", "a unique local address", "RFC 4193"),
        Block("fe80::/10", "a link-local address", "RFC 4291"),
        Block("fec0::/10", "a deprecated site-local address", "RFC 3879"),
        Block("ff00::/8", "a multicast address", "RFC 4291"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96"); // RFC 6052: the IPv4 address is the last 32 bits
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16"); // RFC 3056: the IPv4 address is bits 16-47
    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly AddressPurpose OutsideGlobalUnicast =
        new("an address outside the global unicast space 2000::/3", "IANA IPv6 Address Space registry");

    /// <summary>What <paramref name="address"/> is set aside for; null when it is globally reachable.</summary>
    public static AddressPurpose? Find(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return Array.Find(IPv4, b => b.Network.Contains(address)).Purpose;
        if (Array.Find(IPv6, b => b.Network.Contains(address)).Purpose is { } purpose)
            return purpose;
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
            return Embedded(new IPAddress(bytes.AsSpan(12, 4)), "NAT64", "RFC 6052");
        if (SixToFour.Contains(address))
            return Embedded(new IPAddress(bytes.AsSpan(2, 4)), "6to4", "RFC 3056");
        return GlobalUnicast.Contains(address) ? null : OutsideGlobalUnicast;
    }

    // A router translates these to the IPv4 address inside, so they lead wherever that address leads.
    private static AddressPurpose? Embedded(IPAddress inner, string form, string reference) =>
        Find(inner) is { } purpose
            ? new AddressPurpose($"a {form} address of {inner}, {purpose.Description}", $"{reference}; {purpose.Reference}")
            : null;

    private static (IPNetwork, AddressPurpose) Block(string network, string description, string reference) =>
        (IPNetwork.Parse(network), new AddressPurpose(description, reference));
}
