using System.Net;
using BotAgent.Tools.Http;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests.Http;

/// <summary>Which URLs and resolved addresses the HTTP tool may reach.</summary>
public sealed class HostPolicyTests
{
    private static HostPolicy Policy(params string[] allowedHosts) =>
        new(Options.Create(new HttpToolOptions { AllowedHosts = [.. allowedHosts] }));

    [Theory]
    [InlineData("https://example.com/status")]
    [InlineData("http://api.example.org:8080/v1/health?verbose=1")]
    [InlineData("http://93.184.216.34/")]
    [InlineData("http://8.8.8.8/")]
    [InlineData("http://[2606:4700:4700::1111]/")]
    [InlineData("http://172.15.255.255/")] // just below 172.16.0.0/12
    [InlineData("http://172.32.0.1/")] // just above 172.16.0.0/12
    [InlineData("http://100.63.255.255/")] // just below CGNAT 100.64.0.0/10
    [InlineData("http://100.128.0.1/")] // just above CGNAT
    [InlineData("http://192.169.0.1/")]
    public void Any_public_host_allows_public_names_and_addresses(string url)
    {
        Assert.Null(Policy("*").CheckUrl(new Uri(url)));
    }

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://127.10.20.30:8080/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://10.255.255.255/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://172.31.255.255/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://100.127.255.255/")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://0.1.2.3/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fec0::1]/")]
    [InlineData("http://[fc00::1]/")]
    [InlineData("http://[fd12:3456::1]/")]
    [InlineData("http://[ff02::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:192.168.0.1]/")]
    [InlineData("http://2130706433/")] // 127.0.0.1 as one decimal number
    [InlineData("http://0x7f.0.0.1/")] // 127.0.0.1 with a hex first part
    [InlineData("http://0177.0.0.1/")] // 127.0.0.1 with an octal first part
    public void Any_public_host_refuses_internal_addresses(string url)
    {
        var refusal = Policy("*").CheckUrl(new Uri(url));

        Assert.NotNull(refusal);
        Assert.Contains("not allowed", refusal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.5")]
    [InlineData("192.168.0.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::5")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    public void Any_public_host_refuses_a_public_name_that_resolves_to_an_internal_address(string resolved)
    {
        Assert.False(Policy("*").IsAddressAllowed("innocent.example.com", IPAddress.Parse(resolved)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:93.184.216.34")]
    public void Any_public_host_allows_a_name_that_resolves_to_a_public_address(string resolved)
    {
        Assert.True(Policy("*").IsAddressAllowed("example.com", IPAddress.Parse(resolved)));
    }

    [Theory]
    [MemberData(nameof(SpecialPurposeAddresses.Refused), MemberType = typeof(SpecialPurposeAddresses))]
    public void Any_public_host_refuses_every_special_purpose_address_saying_what_it_is(string address, string purpose)
    {
        var refusal = Policy("*").CheckUrl(new Uri(SpecialPurposeAddresses.UrlOf(address)));

        Assert.NotNull(refusal);
        Assert.Contains("is not allowed: it is ", refusal);
        Assert.Contains(purpose, refusal);
        Assert.Contains("Tools:Http:AllowedHosts", refusal);
    }

    [Theory]
    [MemberData(nameof(SpecialPurposeAddresses.Refused), MemberType = typeof(SpecialPurposeAddresses))]
    public void Any_public_host_refuses_a_public_name_that_resolves_to_a_special_purpose_address(string address, string purpose)
    {
        _ = purpose;
        Assert.False(Policy("*").IsAddressAllowed("innocent.example.com", IPAddress.Parse(address)));
        Assert.True(HostPolicy.IsInternal(IPAddress.Parse(address)));
    }

    [Theory]
    [MemberData(nameof(SpecialPurposeAddresses.Public), MemberType = typeof(SpecialPurposeAddresses))]
    public void Addresses_just_outside_the_special_purpose_blocks_stay_public(string address)
    {
        var policy = Policy("*");

        Assert.Null(policy.CheckUrl(new Uri(SpecialPurposeAddresses.UrlOf(address))));
        Assert.True(policy.IsAddressAllowed("example.com", IPAddress.Parse(address)));
    }

    [Fact]
    public void A_listed_special_purpose_address_or_range_is_allowed_and_nothing_beside_it()
    {
        var policy = Policy("*", "192.0.2.10", "198.18.0.0/15", "2001:db8::/32", "::ffff:0:7f00:1");

        Assert.Null(policy.CheckUrl(new Uri("http://192.0.2.10:8080/health")));
        Assert.Null(policy.CheckUrl(new Uri("http://198.19.1.2/")));
        Assert.Null(policy.CheckUrl(new Uri("http://[2001:db8::5]/")));
        Assert.Null(policy.CheckUrl(new Uri("http://[::ffff:0:7f00:1]/")));
        Assert.True(policy.IsAddressAllowed("bench.example.test", IPAddress.Parse("198.18.0.1")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://192.0.2.11/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://203.0.113.7/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://[3fff::1]/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://127.0.0.1/")));
    }

    [Fact]
    public void A_listed_name_reaches_the_special_purpose_addresses_it_resolves_to()
    {
        Assert.True(Policy("docs.example.test").IsAddressAllowed("docs.example.test", IPAddress.Parse("203.0.113.7")));
        Assert.True(Policy("*.example.test").IsAddressAllowed("lab.example.test", IPAddress.Parse("2001:db8::7")));
        Assert.False(Policy("*").IsAddressAllowed("docs.example.test", IPAddress.Parse("203.0.113.7")));
        Assert.False(Policy("docs.example.test").IsAddressAllowed("other.example.test", IPAddress.Parse("203.0.113.7")));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("192.168.255.255", true)]
    [InlineData("169.254.0.1", true)]
    [InlineData("100.64.0.0", true)]
    [InlineData("224.0.0.251", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::abcd", true)]
    [InlineData("fc00::1", true)]
    [InlineData("::ffff:172.16.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("172.15.0.1", false)]
    [InlineData("100.128.0.0", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void Internal_addresses_are_loopback_private_link_local_cgnat_unspecified_and_multicast(string address, bool isInternal)
    {
        Assert.Equal(isInternal, HostPolicy.IsInternal(IPAddress.Parse(address)));
    }

    [Fact]
    public void Explicit_name_allows_that_host_only()
    {
        var policy = Policy("api.example.com");

        Assert.Null(policy.CheckUrl(new Uri("https://api.example.com/v1/status")));
        Assert.Null(policy.CheckUrl(new Uri("https://API.Example.COM/")));
        Assert.Null(policy.CheckUrl(new Uri("https://api.example.com./")));
        Assert.NotNull(policy.CheckUrl(new Uri("https://example.com/")));
        Assert.NotNull(policy.CheckUrl(new Uri("https://other.example.com/")));
        Assert.NotNull(policy.CheckUrl(new Uri("https://evil-api.example.com/")));
        Assert.NotNull(policy.CheckUrl(new Uri("https://api.example.com.evil.net/")));
    }

    [Fact]
    public void Explicit_name_allows_the_internal_addresses_it_resolves_to()
    {
        var policy = Policy("intranet.corp");

        Assert.True(policy.IsAddressAllowed("intranet.corp", IPAddress.Parse("10.0.0.5")));
        Assert.False(policy.IsAddressAllowed("other.corp", IPAddress.Parse("10.0.0.5")));
        Assert.False(policy.IsAddressAllowed("other.corp", IPAddress.Parse("93.184.216.34")));
    }

    [Fact]
    public void Wildcard_suffix_allows_subdomains_but_not_the_apex_or_lookalikes()
    {
        var policy = Policy("*.example.com");

        Assert.Null(policy.CheckUrl(new Uri("https://a.example.com/")));
        Assert.Null(policy.CheckUrl(new Uri("https://a.b.example.com/")));
        Assert.NotNull(policy.CheckUrl(new Uri("https://example.com/")));
        Assert.NotNull(policy.CheckUrl(new Uri("https://badexample.com/")));
        Assert.NotNull(policy.CheckUrl(new Uri("https://a.example.com.evil.net/")));
        Assert.True(policy.IsAddressAllowed("svc.example.com", IPAddress.Parse("10.2.3.4")));
    }

    [Fact]
    public void Wildcard_suffix_alone_does_not_allow_any_public_host()
    {
        var refusal = Policy("*.example.com").CheckUrl(new Uri("https://example.org/"));

        Assert.NotNull(refusal);
        Assert.Contains("allow-list", refusal);
    }

    [Fact]
    public void Listed_address_allows_that_address_only()
    {
        var policy = Policy("127.0.0.1");

        Assert.Null(policy.CheckUrl(new Uri("http://127.0.0.1:5000/health")));
        Assert.Null(policy.CheckUrl(new Uri("http://[::ffff:127.0.0.1]:5000/health")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://127.0.0.2/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://[::1]/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://10.0.0.1/")));
        Assert.True(policy.IsAddressAllowed("127.0.0.1", IPAddress.Loopback));
    }

    [Fact]
    public void Listed_ipv6_address_allows_that_address()
    {
        var policy = Policy("::1");

        Assert.Null(policy.CheckUrl(new Uri("http://[::1]:8080/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://127.0.0.1/")));
    }

    [Fact]
    public void Cidr_range_allows_the_addresses_inside_it()
    {
        var policy = Policy("10.1.0.0/16", "fd00::/8");

        Assert.Null(policy.CheckUrl(new Uri("http://10.1.0.1/")));
        Assert.Null(policy.CheckUrl(new Uri("http://10.1.255.254:8443/")));
        Assert.Null(policy.CheckUrl(new Uri("http://[fd00::1234]/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://10.2.0.1/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://[fc00::1]/")));
        Assert.True(policy.IsAddressAllowed("db.internal", IPAddress.Parse("10.1.4.4")));
        Assert.True(policy.IsAddressAllowed("db.internal", IPAddress.Parse("::ffff:10.1.4.4")));
        Assert.False(policy.IsAddressAllowed("db.internal", IPAddress.Parse("10.3.4.4")));
    }

    [Theory]
    [InlineData("http://localhost/")]
    [InlineData("http://localhost:8080/admin")]
    [InlineData("http://LOCALHOST/")]
    [InlineData("http://localhost./")]
    [InlineData("http://app.localhost/")]
    public void Localhost_is_refused_under_any_public_host(string url)
    {
        var refusal = Policy("*").CheckUrl(new Uri(url));

        Assert.NotNull(refusal);
        Assert.Contains("loopback", refusal);
    }

    [Fact]
    public void Localhost_is_allowed_when_listed()
    {
        var policy = Policy("localhost");

        Assert.Null(policy.CheckUrl(new Uri("http://localhost:8080/")));
        Assert.True(policy.IsAddressAllowed("localhost", IPAddress.Loopback));
        Assert.True(policy.IsAddressAllowed("localhost", IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("http://user:secret@example.com/")]
    [InlineData("https://user@example.com/")]
    [InlineData("https://user:secret@127.0.0.1/")]
    public void Url_with_credentials_is_refused(string url)
    {
        var refusal = Policy("*", "127.0.0.1").CheckUrl(new Uri(url));

        Assert.NotNull(refusal);
        Assert.Contains("credentials", refusal);
    }

    [Theory]
    [InlineData("ftp://example.com/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/")]
    [InlineData("ws://example.com/socket")]
    [InlineData("mailto:someone@example.com")]
    public void Non_http_scheme_is_refused(string url)
    {
        var refusal = Policy("*").CheckUrl(new Uri(url));

        Assert.NotNull(refusal);
        Assert.Contains("http(s)", refusal);
    }

    [Fact]
    public void Relative_url_is_refused()
    {
        Assert.NotNull(Policy("*").CheckUrl(new Uri("/health", UriKind.Relative)));
    }

    [Fact]
    public void Empty_allow_list_refuses_everything()
    {
        var policy = Policy();

        Assert.NotNull(policy.CheckUrl(new Uri("https://example.com/")));
        Assert.NotNull(policy.CheckUrl(new Uri("http://127.0.0.1/")));
        Assert.False(policy.IsAddressAllowed("example.com", IPAddress.Parse("93.184.216.34")));
    }
}
