using System.Text.Json;
using BotAgent.Core.Tools;
using BotAgent.Testing;

namespace BotAgent.Tools.Tests.Http;

/// <summary>What <c>http.get</c> and <c>http.request</c> reach (the URL's origin), and the status they measure on a real target.</summary>
public sealed class HttpTargetsTests : IAsyncLifetime
{
    private TargetServer _target = null!;

    public async Task InitializeAsync() => _target = await TargetServer.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    private static ToolHost Host() => ToolHost.Create(new Dictionary<string, string?> { ["Tools:Http:AllowedHosts:0"] = "127.0.0.1" });

    [Theory]
    [InlineData("http.get")]
    [InlineData("http.request")]
    public void Targets_of_a_url_is_its_origin_without_user_info_path_or_query(string tool)
    {
        using var host = Host();

        var targets = host.Tool(tool).Targets(ToolHost.Args(new { url = "http://admin:s3cret@api.example.com:8080/v1/orders?id=7&token=abc#top" }));

        Assert.Equal(["http://api.example.com:8080"], targets);
    }

    [Theory]
    [InlineData("https://status.example.com/health", "https://status.example.com")]
    [InlineData("https://status.example.com:443/health", "https://status.example.com")]
    [InlineData("http://status.example.com:80/", "http://status.example.com")]
    [InlineData("HTTPS://Status.EXAMPLE.com/Health", "https://status.example.com")]
    [InlineData("http://[::1]:9090/metrics", "http://[::1]:9090")]
    [InlineData("http://[2001:DB8::1]/", "http://[2001:db8::1]")]
    [InlineData("http://127.0.0.1:5000/api", "http://127.0.0.1:5000")]
    public void Targets_of_a_url_leaves_out_the_default_port_and_is_lower_case(string url, string origin)
    {
        using var host = Host();

        Assert.Equal([origin], host.Tool("http.get").Targets(ToolHost.Args(new { url })));
        Assert.Equal([origin], host.Tool("http.request").Targets(ToolHost.Args(new { url, method = "POST", body = "x" })));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"url":42}""")]
    [InlineData("""{"url":"not a url"}""")]
    [InlineData("""{"url":"/relative/path"}""")]
    [InlineData("""{"url":"ftp://files.example.com/report.csv"}""")]
    [InlineData("""{"url":"file:///etc/passwd"}""")]
    [InlineData("[]")]
    [InlineData("\"https://api.example.com\"")]
    public void Targets_of_arguments_without_an_absolute_http_url_are_empty(string json)
    {
        using var host = Host();
        var args = JsonDocument.Parse(json).RootElement;

        Assert.Empty(host.Tool("http.get").Targets(args));
        Assert.Empty(host.Tool("http.request").Targets(args));
    }

    [Theory]
    [InlineData("http.get")]
    [InlineData("http.request")]
    public void Descriptor_has_no_fixed_targets_because_the_url_decides(string tool)
    {
        using var host = Host();

        Assert.Null(host.Tool(tool).Descriptor.Targets);
    }

    [Fact]
    public async Task A_get_measures_the_status_the_target_answered_with()
    {
        using var host = Host();
        _target.Respond("/health", new TargetResponse(200, "ok"));

        var outcome = await host.Tool("http.get").InvokeAsync(ToolHost.Call(new { url = _target.Url("/health") }), default);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(new ToolMeasures(Status: 200), outcome.Measures);
    }

    [Fact]
    public async Task A_failed_get_measures_the_error_status_too()
    {
        using var host = Host();

        var outcome = await host.Tool("http.get").InvokeAsync(ToolHost.Call(new { url = _target.Url("/missing") }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Equal(404, outcome.Measures?.Status);
    }

    [Fact]
    public async Task A_redirected_get_measures_the_status_of_the_final_answer()
    {
        using var host = Host();
        _target.Respond("/old", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = "/new" }));
        _target.Respond("/new", new TargetResponse(204, ""));

        var outcome = await host.Tool("http.get").InvokeAsync(ToolHost.Call(new { url = _target.Url("/old") }), default);

        Assert.Equal(204, outcome.Measures?.Status);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(409)]
    [InlineData(503)]
    public async Task A_request_measures_the_status_whether_it_succeeded_or_failed(int status)
    {
        using var host = Host();
        _target.Respond("/orders", new TargetResponse(status, "answer"));

        var outcome = await host.Tool("http.request").InvokeAsync(
            ToolHost.Call(new { url = _target.Url("/orders"), method = "POST", body = new { id = 7 } }), default);

        Assert.Equal(status < 400, outcome.Succeeded);
        Assert.Equal(new ToolMeasures(Status: status), outcome.Measures);
    }

    [Fact]
    public async Task A_request_that_never_got_an_answer_measures_nothing()
    {
        using var host = Host();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var outcome = await host.Tool("http.request").InvokeAsync(ToolHost.Call(new { url = $"http://127.0.0.1:{port}/orders" }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Null(outcome.Measures);
    }
}
