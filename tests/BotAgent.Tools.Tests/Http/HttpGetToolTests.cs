using System.Diagnostics;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Testing;

namespace BotAgent.Tools.Tests.Http;

/// <summary><c>http.get</c> against a real Kestrel target on 127.0.0.1.</summary>
public sealed class HttpGetToolTests : IAsyncLifetime
{
    private static readonly string[] Loopback = ["127.0.0.1"];

    private TargetServer _target = null!;

    public async Task InitializeAsync() => _target = await TargetServer.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    private static string Fact(ToolOutcome outcome, string name) =>
        Assert.Single(outcome.Facts ?? [], f => f.Key == name).Value;

    [Fact]
    public void Descriptor_is_read_only_idempotent_and_takes_the_url_first()
    {
        using var host = HttpToolHost.Create(Loopback);

        Assert.Equal("http.get", host.Tool.Descriptor.Name);
        Assert.Equal(RiskLevel.ReadOnly, host.Tool.Descriptor.Risk);
        Assert.True(host.Tool.Descriptor.IsRetrySafe);
        Assert.Equal("url", host.Tool.Descriptor.PrimaryArgument);
    }

    [Fact]
    public async Task Ok_response_succeeds_with_status_latency_and_body_excerpt()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/health", new TargetResponse(200, "{\"status\":\"healthy\"}", "application/json"));
        var url = _target.Url("/health");

        Assert.Empty(host.Tool.CheckArguments(HttpToolHost.Args(url)));
        var outcome = await host.InvokeAsync(url);

        Assert.Equal(ToolStatus.Succeeded, outcome.Status);
        Assert.Null(outcome.Error);
        Assert.StartsWith("HTTP 200 OK in ", outcome.Summary);
        Assert.Equal("{\"status\":\"healthy\"}", outcome.Output);
        Assert.Equal(url, Fact(outcome, "URL"));
        Assert.Equal("200 OK", Fact(outcome, "Status"));
        Assert.Matches(@"^\d+ ms$", Fact(outcome, "Latency"));
        Assert.StartsWith("application/json", Fact(outcome, "Content-Type"));
        Assert.Equal("20", Fact(outcome, "Bytes"));
        var hit = Assert.Single(_target.Hits);
        Assert.Equal("GET", hit.Method);
        Assert.Equal("/health", hit.Path);
    }

    [Fact]
    public async Task Server_error_fails_as_transient_and_keeps_the_body()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/broken", new TargetResponse(500, "database unavailable"));

        var outcome = await host.InvokeAsync(_target.Url("/broken"));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.True(outcome.Transient);
        Assert.Equal("HTTP 500 Internal Server Error", outcome.Error);
        Assert.StartsWith("HTTP 500", outcome.Summary);
        Assert.Equal("database unavailable", outcome.Output);
        Assert.Equal("500 Internal Server Error", Fact(outcome, "Status"));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task Overload_and_timeout_statuses_are_transient(int status)
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/busy", new TargetResponse(status, "try later"));

        var outcome = await host.InvokeAsync(_target.Url("/busy"));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.True(outcome.Transient);
    }

    [Fact]
    public async Task Not_found_fails_and_is_not_transient()
    {
        using var host = HttpToolHost.Create(Loopback);

        var outcome = await host.InvokeAsync(_target.Url("/missing"));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.Equal("HTTP 404 Not Found", outcome.Error);
        Assert.Equal(1, _target.HitCount("/missing"));
    }

    [Fact]
    public async Task Response_larger_than_the_limit_is_truncated_and_says_so()
    {
        using var host = HttpToolHost.Create(Loopback, new Dictionary<string, string?> { ["Tools:Http:MaxResponseBytes"] = "1024" });
        _target.Respond("/big", new TargetResponse(200, new string('x', 10_000)));

        var outcome = await host.InvokeAsync(_target.Url("/big"));

        Assert.Equal(ToolStatus.Succeeded, outcome.Status);
        Assert.Equal(new string('x', 1024), outcome.Output);
        Assert.Contains("(truncated)", outcome.Summary);
        Assert.Equal("1024", Fact(outcome, "Bytes"));
    }

    [Fact]
    public async Task Response_exactly_at_the_limit_is_not_called_truncated()
    {
        using var host = HttpToolHost.Create(Loopback, new Dictionary<string, string?> { ["Tools:Http:MaxResponseBytes"] = "1024" });
        _target.Respond("/exact", new TargetResponse(200, new string('y', 1024)));

        var outcome = await host.InvokeAsync(_target.Url("/exact"));

        Assert.Equal(new string('y', 1024), outcome.Output);
        Assert.DoesNotContain("truncated", outcome.Summary);
    }

    [Fact]
    public async Task Custom_headers_are_sent_with_the_request()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/api", new TargetResponse(200, "ok"));
        var headers = new Dictionary<string, string> { ["X-Api-Key"] = "k-123", ["Accept"] = "application/json" };

        Assert.Empty(host.Tool.CheckArguments(HttpToolHost.Args(_target.Url("/api"), headers)));
        var outcome = await host.InvokeAsync(_target.Url("/api"), headers);

        Assert.True(outcome.Succeeded);
        var hit = Assert.Single(_target.Hits);
        Assert.Equal("k-123", hit.Headers["X-Api-Key"]);
        Assert.Equal("application/json", hit.Headers["Accept"]);
        Assert.Contains("BotAgent/1.0", hit.Headers["User-Agent"]);
    }

    [Fact]
    public void Host_header_cannot_be_set()
    {
        using var host = HttpToolHost.Create(Loopback);

        var refusals = host.Tool.CheckArguments(HttpToolHost.Args(_target.Url("/api"), new Dictionary<string, string> { ["host"] = "internal.corp" }));

        Assert.Contains(refusals, r => r.Contains("Host header", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"url\":42}")]
    [InlineData("{\"url\":\"not a url\"}")]
    [InlineData("{\"url\":\"/relative/path\"}")]
    [InlineData("{\"url\":\"ftp://127.0.0.1/file\"}")]
    public void Missing_or_malformed_url_is_refused(string json)
    {
        using var host = HttpToolHost.Create(Loopback);

        Assert.NotEmpty(host.Tool.CheckArguments(System.Text.Json.JsonDocument.Parse(json).RootElement));
    }

    [Fact]
    public async Task Redirect_to_an_allowed_path_is_followed()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/old", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = "/new" }));
        _target.Respond("/new", new TargetResponse(200, "moved here"));

        var outcome = await host.InvokeAsync(_target.Url("/old"));

        Assert.Equal(ToolStatus.Succeeded, outcome.Status);
        Assert.Equal("moved here", outcome.Output);
        Assert.Equal(_target.Url("/new"), Fact(outcome, "URL"));
        Assert.Equal(1, _target.HitCount("/old"));
        Assert.Equal(1, _target.HitCount("/new"));
    }

    [Fact]
    public async Task Redirect_within_the_same_origin_keeps_the_custom_headers()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/old", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = "/new" }));
        _target.Respond("/new", new TargetResponse(200, "ok"));

        await host.InvokeAsync(_target.Url("/old"), new Dictionary<string, string> { ["X-Api-Key"] = "k-123" });

        Assert.Equal("k-123", Assert.Single(_target.Hits, h => h.Path == "/new").Headers["X-Api-Key"]);
    }

    [Fact]
    public async Task Refused_connection_fails_as_transient()
    {
        using var host = HttpToolHost.Create(Loopback);
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var outcome = await host.InvokeAsync($"http://127.0.0.1:{port}/health");

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.True(outcome.Transient);
        Assert.Contains("127.0.0.1", outcome.Summary);
    }

    [Fact]
    public async Task Redirect_loop_stops_after_the_configured_number_of_redirects()
    {
        using var host = HttpToolHost.Create(Loopback, new Dictionary<string, string?> { ["Tools:Http:MaxRedirects"] = "2" });
        _target.Respond("/loop", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = "/loop" }));

        var outcome = await host.InvokeAsync(_target.Url("/loop"));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Contains("Too many redirects", outcome.Summary);
        Assert.Equal(3, _target.HitCount("/loop"));
    }

    [Fact]
    public async Task Cancellation_stops_a_slow_request_promptly()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/slow", new TargetResponse(200, "finally", Delay: TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource();

        var invocation = host.InvokeAsync(_target.Url("/slow"), cancellationToken: cts.Token);
        await Eventually.TrueAsync(() => _target.HitCount("/slow") == 1, "the slow request to arrive");
        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();

        try
        {
            var outcome = await invocation;
            Assert.Equal(ToolStatus.Failed, outcome.Status);
        }
        catch (OperationCanceledException)
        {
            // Cancellation surfacing as an exception is the expected form.
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the request took {clock.Elapsed} to stop after cancellation");
    }

    [Fact]
    public async Task Already_cancelled_token_sends_nothing()
    {
        using var host = HttpToolHost.Create(Loopback);
        _target.Respond("/health", new TargetResponse(200, "ok"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.InvokeAsync(_target.Url("/health"), cancellationToken: new CancellationToken(canceled: true)));

        Assert.Empty(_target.Hits);
    }
}
