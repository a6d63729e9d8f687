using System.Net;
using System.Net.Sockets;

namespace BotAgent.Tools.Tests.Http;

/// <summary>
/// One or two addresses from every block the HTTP tools refuse unless listed (IANA's special-purpose registries,
/// multicast, reserved, IPv6 outside 2000::/3 and the IPv6 forms that carry such an IPv4 address), with the words
/// the refusal uses for it; and addresses just outside those blocks, which stay public.
/// </summary>
internal static class SpecialPurposeAddresses
{
    public static TheoryData<string, string> Refused => new()
    {
        { "0.0.0.0", "'this network'" },
        { "0.1.2.3", "'this network'" },
        { "10.1.2.3", "private" },
        { "100.64.0.1", "carrier-grade NAT" },
        { "100.127.255.254", "carrier-grade NAT" },
        { "127.0.0.1", "loopback" },
        { "127.10.20.30", "loopback" },
        { "169.254.169.254", "link-local" },
        { "172.31.255.254", "private" },
        { "192.0.0.8", "IETF protocol assignment" },
        { "192.0.0.170", "IETF protocol assignment" },
        { "192.0.2.1", "TEST-NET-1 documentation address (RFC 5737)" },
        { "198.51.100.7", "TEST-NET-2 documentation address (RFC 5737)" },
        { "203.0.113.7", "TEST-NET-3 documentation address (RFC 5737)" },
        { "192.88.99.1", "6to4 relay" },
        { "192.168.1.1", "private" },
        { "198.18.0.1", "benchmarking address (RFC 2544)" },
        { "198.19.255.254", "benchmarking address (RFC 2544)" },
        { "224.0.0.1", "multicast" },
        { "239.255.255.250", "multicast" },
        { "240.0.0.1", "reserved" },
        { "255.255.255.254", "reserved" },
        { "255.255.255.255", "limited broadcast" },
        { "::", "unspecified" },
        { "::1", "loopback" },
        { "::7f00:1", "IPv4-compatible" },
        { "::808:808", "IPv4-compatible" },
        { "::ffff:0:7f00:1", "SIIT IPv4-translated" },
        { "::ffff:0:808:808", "SIIT IPv4-translated" },
        { "::ffff:192.0.2.1", "documentation" },
        { "::ffff:198.18.0.1", "benchmarking" },
        { "64:ff9b::7f00:1", "NAT64 address of 127.0.0.1, a loopback address" },
        { "64:ff9b::c000:201", "NAT64 address of 192.0.2.1, a TEST-NET-1 documentation address" },
        { "64:ff9b:1::808:808", "local-use NAT64" },
        { "64:ff9b:ffff::1", "outside the global unicast space" },
        { "100::1", "discard-only" },
        { "2001::1", "Teredo" },
        { "2001:1::1", "IETF protocol assignment" },
        { "2001:2::1", "benchmarking address (RFC 5180)" },
        { "2001:10::1", "ORCHID" },
        { "2001:db8::1", "documentation address (RFC 3849)" },
        { "2001:db8:ffff::1", "documentation address (RFC 3849)" },
        { "2002:7f00:1::", "6to4 address of 127.0.0.1, a loopback address" },
        { "2002:c633:6407::1", "6to4 address of 198.51.100.7, a TEST-NET-2 documentation address" },
        { "3fff::1", "documentation address (RFC 9637)" },
        { "3fff:fff:ffff::1", "documentation address (RFC 9637)" },
        { "5f00::1", "SRv6" },
        { "fc00::1", "unique local" },
        { "fd12:3456::1", "unique local" },
        { "fe80::1", "link-local" },
        { "fec0::1", "site-local" },
        { "ff02::1", "multicast" },
        { "ff0e::1", "multicast" },
        { "4000::1", "outside the global unicast space" },
    };

    public static TheoryData<string> Public => new()
    {
        "8.8.8.8",
        "100.63.255.255",
        "100.128.0.0",
        "192.0.1.255",
        "192.0.3.0",
        "192.31.196.1", // AS112, globally reachable
        "192.88.98.255",
        "198.17.255.255",
        "198.20.0.0",
        "198.51.99.255",
        "198.51.101.0",
        "203.0.112.255",
        "203.0.114.0",
        "223.255.255.255",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808", // NAT64 of a public address: how IPv6-only hosts reach IPv4 ones
        "2001:200::1",
        "2001:db9::1",
        "2002:808:808::1",
        "2606:4700:4700::1111",
        "2620:4f:8000::1", // AS112 direct delegation, globally reachable
        "3fff:1000::1",
    };

    public static string UrlOf(string address) =>
        IPAddress.Parse(address).AddressFamily == AddressFamily.InterNetworkV6 ? $"http://[{address}]/" : $"http://{address}/";
}
