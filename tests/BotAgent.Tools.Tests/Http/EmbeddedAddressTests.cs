using System.Net;
using BotAgent.Tools.Http;

namespace BotAgent.Tools.Tests.Http;

/// <summary>IPv6 forms that carry an IPv4 address, and special-purpose IPv4 ranges, are judged like the address they reach.</summary>
public sealed class EmbeddedAddressTests
{
    [Theory]
    [InlineData("64:ff9b::a9fe:a9fe")]      // NAT64 of 169.254.169.254 (cloud metadata)
    [InlineData("64:ff9b:1::a00:1")]         // local-use NAT64 of 10.0.0.1
    [InlineData("2002:7f00:1::")]            // 6to4 of 127.0.0.1
    [InlineData("::a9fe:a9fe")]              // IPv4-compatible 169.254.169.254
    [InlineData("::5db8:d822")]              // IPv4-compatible, even of a public address: deprecated, no public host uses it
    [InlineData("::ffff:0:7f00:1")]          // SIIT IPv4-translated 127.0.0.1: some stacks reach loopback through it
    [InlineData("::ffff:0:5db8:d822")]       // IPv4-translated, even of a public address
    [InlineData("64:ff9b:1::5db8:d822")]     // local-use NAT64, even of a public address: the network's own translator
    [InlineData("64:ff9b::c000:201")]        // NAT64 of 192.0.2.1 (documentation)
    [InlineData("2002:c000:201::1")]         // 6to4 of 192.0.2.1 (documentation)
    [InlineData("198.18.0.1")]               // benchmarking range
    [InlineData("192.0.0.8")]                // IETF protocol assignments
    public void Addresses_that_lead_inside_are_internal(string address) =>
        Assert.True(HostPolicy.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("64:ff9b::5db8:d822")]       // NAT64 of a public address
    [InlineData("2606:4700:4700::1111")]
    [InlineData("198.20.0.1")]
    [InlineData("2002:5db8:d822::1")]        // 6to4 of a public address
    [InlineData("::ffff:93.184.216.34")]     // IPv4-mapped public address
    public void Public_addresses_stay_public(string address) =>
        Assert.False(HostPolicy.IsInternal(IPAddress.Parse(address)));
}
