using System.Net;
using BotAgent.Testing;
using BotAgent.Tools.Http;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests.Http;

/// <summary>
/// The connect-time check: whatever a name resolves to is judged again, so a DNS answer cannot lead a request to a
/// special-purpose address the plan-time check never saw.
/// </summary>
public sealed class GuardedConnectorTests : IAsyncLifetime
{
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _target.Respond("/health", new TargetResponse(200, "ok"));
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    private static HttpClient Client(FakeDns dns, params string[] allowedHosts)
    {
        var policy = new HostPolicy(Options.Create(new HttpToolOptions { AllowedHosts = [.. allowedHosts] }));
        return new HttpClient(new GuardedConnector(policy, dns.ResolveAsync).CreateHandler()) { Timeout = TimeSpan.FromSeconds(10) };
    }

    private string UrlFor(string host) => $"http://{host}:{_target.BaseUri.Port}/health";

    [Theory]
    [MemberData(nameof(SpecialPurposeAddresses.Refused), MemberType = typeof(SpecialPurposeAddresses))]
    public async Task A_name_resolving_to_a_special_purpose_address_is_refused_before_connecting(string address, string purpose)
    {
        var dns = new FakeDns().Add("status.example.test", address);
        using var client = Client(dns, "*");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(UrlFor("status.example.test")));

        var refused = Assert.IsType<HostRefusedException>(error.InnerException);
        Assert.Contains("host 'status.example.test' resolves only to addresses that are not allowed: ", refused.Message);
        Assert.Contains(purpose, refused.Message);
        Assert.Contains("Tools:Http:AllowedHosts", refused.Message);
        Assert.Equal(["status.example.test"], dns.Lookups);
        Assert.Empty(_target.Hits);
    }

    [Fact]
    public async Task Of_the_addresses_a_name_resolves_to_only_the_allowed_ones_are_connected_to()
    {
        // 203.0.113.7 comes first: were it allowed, the connector would try it before the loopback target (and, on a
        // network with a route to it, wait there until the timeout).
        var dns = new FakeDns().Add("mixed.example.test", "203.0.113.7", "127.0.0.1");
        using var client = Client(dns, "*", "127.0.0.1");

        using var response = await client.GetAsync(UrlFor("mixed.example.test"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _target.HitCount("/health"));
    }

    [Fact]
    public async Task A_name_listed_in_the_allow_list_reaches_the_special_purpose_address_it_resolves_to()
    {
        var dns = new FakeDns().Add("intranet.example.test", "127.0.0.1");
        using var client = Client(dns, "intranet.example.test");

        using var response = await client.GetAsync(UrlFor("intranet.example.test"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _target.HitCount("/health"));
    }

    [Fact]
    public async Task A_name_resolving_only_to_documentation_and_loopback_addresses_names_both_in_the_refusal()
    {
        var dns = new FakeDns().Add("twice.example.test", "198.51.100.7", "::1");
        using var client = Client(dns, "*");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(UrlFor("twice.example.test")));

        var refused = Assert.IsType<HostRefusedException>(error.InnerException);
        Assert.Contains("198.51.100.7 is a TEST-NET-2 documentation address (RFC 5737); ::1 is a loopback address (RFC 4291).", refused.Message);
    }
}
