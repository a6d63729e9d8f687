using BotAgent.Core.Tools;
using BotAgent.Testing;
using BotAgent.Tools.Http;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests.Http;

/// <summary>What <c>http.get</c> refuses to reach, directly, after redirects and at connect time.</summary>
public sealed class HttpGetToolRefusalTests : IAsyncLifetime
{
    private static readonly string[] Loopback = ["127.0.0.1"];
    private static readonly string[] AnyPublicHost = ["*"];

    private TargetServer _target = null!;

    public async Task InitializeAsync() => _target = await TargetServer.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Redirect_to_another_origin_does_not_forward_credentials()
    {
        await using var other = await TargetServer.StartAsync();
        using var host = HttpToolHost.Create(Loopback);
        other.Respond("/landing", new TargetResponse(200, "other origin"));
        _target.Respond("/go", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = other.Url("/landing") }));
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer secret-token", ["X-Api-Key"] = "k-123" };

        var outcome = await host.InvokeAsync(_target.Url("/go"), headers);

        Assert.True(outcome.Succeeded);
        Assert.Equal("Bearer secret-token", Assert.Single(_target.Hits).Headers["Authorization"]);
        var landed = Assert.Single(other.Hits);
        Assert.False(landed.Headers.ContainsKey("Authorization"), "the Authorization header was forwarded to another origin");
        Assert.False(landed.Headers.ContainsKey("X-Api-Key"), "the X-Api-Key header was forwarded to another origin");
    }

    [Fact]
    public async Task Redirect_to_link_local_metadata_address_is_refused()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/go", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = "http://169.254.169.254/latest/meta-data/" }));

        var outcome = await host.InvokeAsync(_target.Url("/go"));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.StartsWith("Refused: ", outcome.Summary);
        Assert.Contains("169.254.169.254", outcome.Error);
    }

    [Fact]
    public async Task Redirect_to_a_loopback_name_that_is_not_listed_is_refused_and_not_requested()
    {
        using var host = HttpToolHost.Create(Loopback);
        var secret = $"http://localhost:{_target.BaseUri.Port}/secret";
        _target.Respond("/go", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = secret }));
        _target.Respond("/secret", new TargetResponse(200, "internal data"));

        var outcome = await host.InvokeAsync(_target.Url("/go"));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.Contains("localhost", outcome.Error);
        Assert.Equal(0, _target.HitCount("/secret"));
        Assert.Equal(1, _target.HitCount("/go"));
    }

    [Fact]
    public async Task Redirect_to_a_host_not_in_the_allow_list_is_refused()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/go", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = "http://not-listed.invalid/steal" }));

        var outcome = await host.InvokeAsync(_target.Url("/go"));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.StartsWith("Refused: ", outcome.Summary);
        Assert.Contains("allow-list", outcome.Error);
    }

    [Fact]
    public void Configured_allow_list_replaces_the_default_any_public_host()
    {
        using var host = HttpToolHost.Create(["api.example.com"]);

        var options = host.Services.GetService(typeof(IOptions<HttpToolOptions>)) as IOptions<HttpToolOptions>;
        Assert.Equal(["api.example.com"], options!.Value.AllowedHosts);
        Assert.Empty(host.Tool.CheckArguments(HttpToolHost.Args("https://api.example.com/status")));
        Assert.NotEmpty(host.Tool.CheckArguments(HttpToolHost.Args("https://other.example.org/")));
    }

    [Fact]
    public void Without_configured_hosts_nothing_is_allowed()
    {
        using var host = HttpToolHost.Create([]);

        Assert.NotEmpty(host.Tool.CheckArguments(HttpToolHost.Args("https://example.com/")));
        Assert.NotEmpty(host.Tool.CheckArguments(HttpToolHost.Args(_target.Url("/health"))));
    }

    [Fact]
    public async Task With_any_public_host_loopback_is_refused_by_CheckArguments_and_when_invoked_anyway()
    {
        using var host = HttpToolHost.Create(AnyPublicHost);
        _target.Respond("/health", new TargetResponse(200, "ok"));
        var url = _target.Url("/health");

        var refusals = host.Tool.CheckArguments(HttpToolHost.Args(url));
        var outcome = await host.InvokeAsync(url);

        Assert.Contains(refusals, r => r.Contains("loopback", StringComparison.Ordinal));
        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.StartsWith("Refused: ", outcome.Summary);
        Assert.Empty(_target.Hits);
    }

    [Fact]
    public async Task With_any_public_host_the_connector_refuses_a_loopback_address_at_connect_time()
    {
        using var host = HttpToolHost.Create(AnyPublicHost);
        _target.Respond("/health", new TargetResponse(200, "ok"));
        using var client = host.CreateGuardedClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(_target.Url("/health")));

        Assert.IsType<HostRefusedException>(error.InnerException);
        Assert.Empty(_target.Hits);
    }

    [Fact]
    public async Task With_any_public_host_localhost_is_refused_by_the_tool_and_not_requested()
    {
        using var host = HttpToolHost.Create(AnyPublicHost);
        var url = $"http://localhost:{_target.BaseUri.Port}/health";

        var refusals = host.Tool.CheckArguments(HttpToolHost.Args(url));
        var outcome = await host.InvokeAsync(url);

        Assert.NotEmpty(refusals);
        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Empty(_target.Hits);
    }

    [Fact]
    public async Task With_any_public_host_a_name_resolving_to_loopback_is_refused_at_connect_time()
    {
        // The named client skips the tool's URL check, so only the connector's DNS-resolution check stands in the way.
        using var host = HttpToolHost.Create(AnyPublicHost);
        using var client = host.CreateGuardedClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://localhost:{_target.BaseUri.Port}/health"));

        var refused = Assert.IsType<HostRefusedException>(error.InnerException);
        Assert.Contains("localhost", refused.Message);
        Assert.Contains("not allowed", refused.Message);
        Assert.Empty(_target.Hits);
    }

    [Theory]
    [MemberData(nameof(SpecialPurposeAddresses.Refused), MemberType = typeof(SpecialPurposeAddresses))]
    public async Task With_any_public_host_a_special_purpose_address_is_refused_at_plan_time_and_when_invoked_anyway(string address, string purpose)
    {
        using var host = HttpToolHost.Create(AnyPublicHost);
        var url = SpecialPurposeAddresses.UrlOf(address);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var refusal = Assert.Single(host.Tool.CheckArguments(HttpToolHost.Args(url)));
        var outcome = await host.InvokeAsync(url, cancellationToken: timeout.Token);

        Assert.Contains(purpose, refusal);
        Assert.Contains("Tools:Http:AllowedHosts", refusal);
        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.Equal("Refused: " + refusal, outcome.Summary);
    }

    [Fact]
    public async Task With_any_public_host_a_name_that_resolves_to_a_documentation_address_is_refused_when_invoked()
    {
        // The name passes at plan time (nothing says where it leads); the connector refuses what DNS answers.
        var dns = new FakeDns().Add("status.example.test", "203.0.113.7");
        using var host = HttpToolHost.Create(AnyPublicHost, dns: dns);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var refusals = host.Tool.CheckArguments(HttpToolHost.Args("http://status.example.test/health"));
        var outcome = await host.InvokeAsync("http://status.example.test/health", cancellationToken: timeout.Token);

        Assert.Empty(refusals);
        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.StartsWith("Refused: host 'status.example.test' resolves only to addresses that are not allowed: 203.0.113.7 is a TEST-NET-3 documentation address (RFC 5737)", outcome.Summary);
        Assert.Equal(["status.example.test"], dns.Lookups);
    }

    [Fact]
    public void A_documentation_address_listed_in_the_allow_list_passes_the_plan_time_check()
    {
        using var host = HttpToolHost.Create(["192.0.2.10", "203.0.113.0/24"]);

        Assert.Empty(host.Tool.CheckArguments(HttpToolHost.Args("http://192.0.2.10/health")));
        Assert.Empty(host.Tool.CheckArguments(HttpToolHost.Args("http://203.0.113.7/health")));
        Assert.NotEmpty(host.Tool.CheckArguments(HttpToolHost.Args("http://192.0.2.11/health")));
    }

    [Fact]
    public async Task Listed_loopback_address_is_reachable_through_the_connector()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/health", new TargetResponse(200, "ok"));
        using var client = host.CreateGuardedClient();

        using var response = await client.GetAsync(_target.Url("/health"));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _target.HitCount("/health"));
    }
}
