using System.Globalization;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests.Prometheus;

/// <summary><c>prometheus.query</c> against a Prometheus-compatible API on loopback.</summary>
public sealed class PrometheusQueryToolTests : IAsyncLifetime
{
    private const string Vector = """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","job":"api","instance":"a:9090"},"value":[1714557600,"1"]},
          {"metric":{"__name__":"up","job":"api","instance":"b:9090"},"value":[1714557600,"0"]}
        ]}}
        """;

    private const string Matrix = """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"job":"payments","route":"/pay"},"values":[[1714557600,"0.12"],[1714557660,"0.98"],[1714557720,"0.45"]]},
          {"metric":{"job":"payments","route":"/refund"},"values":[[1714557600,"NaN"],[1714557660,"0.2"],[1714557720,"+Inf"]]}
        ]}}
        """;

    private PrometheusTestServer _prometheus = null!;

    public async Task InitializeAsync() => _prometheus = await PrometheusTestServer.StartAsync();

    public async Task DisposeAsync() => await _prometheus.DisposeAsync();

    private ToolHost Host(string? baseUrl = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tools:Http:Enabled"] = "false",
            ["Tools:Prometheus:Enabled"] = "true",
            ["Tools:Prometheus:BaseUrl"] = baseUrl ?? _prometheus.BaseUrl,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return ToolHost.Create(settings);
    }

    private static string Fact(ToolOutcome outcome, string name) => Assert.Single(outcome.Facts ?? [], f => f.Key == name).Value;

    [Fact]
    public void Descriptor_is_read_only_and_takes_the_query_first()
    {
        using var host = Host();
        var descriptor = host.Tool("prometheus.query").Descriptor;

        Assert.Equal(RiskLevel.ReadOnly, descriptor.Risk);
        Assert.True(descriptor.IsRetrySafe);
        Assert.Equal("query", descriptor.PrimaryArgument);
    }

    [Fact]
    public async Task Instant_query_reports_each_series_by_the_labels_that_tell_it_apart()
    {
        using var host = Host();
        _prometheus.Answer("up{job=\"api\"}", Vector);

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "up{job=\"api\"}" }), default);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("2 series (vector)", outcome.Summary);
        Assert.Contains("common labels: {__name__=\"up\", job=\"api\"}", outcome.Output);
        Assert.Contains("{instance=\"a:9090\"}  1", outcome.Output);
        Assert.Contains("{instance=\"b:9090\"}  0", outcome.Output);
        Assert.Equal("0", Fact(outcome, "{instance=\"b:9090\"}"));
        var hit = Assert.Single(_prometheus.Hits);
        Assert.Equal("/api/v1/query", hit.Path);
        Assert.Equal("up{job=\"api\"}", hit.Query["query"]);
        Assert.False(hit.Query.ContainsKey("start"));
    }

    [Fact]
    public async Task Range_query_reports_min_max_and_last_per_series()
    {
        using var host = Host();
        _prometheus.Answer("rate(latency[5m])", Matrix);

        var outcome = await host.Tool("prometheus.query").InvokeAsync(
            ToolHost.Call(new { query = "rate(latency[5m])", start = "2024-05-01T10:00:00Z", end = "2024-05-01T11:00:00Z", step = "1m" }), default);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("2 series (matrix, 6 samples)", outcome.Summary);
        Assert.Contains("{route=\"/pay\"}  min 0.12  max 0.98  last 0.45  (3 samples)", outcome.Output);
        Assert.Contains("{route=\"/refund\"}  min 0.2  max +Inf  last +Inf  (3 samples)", outcome.Output);
        var hit = Assert.Single(_prometheus.Hits);
        Assert.Equal("/api/v1/query_range", hit.Path);
        Assert.Equal("1714557600", hit.Query["start"]);
        Assert.Equal("1714561200", hit.Query["end"]);
        Assert.Equal("60", hit.Query["step"]);
    }

    [Fact]
    public async Task Relative_start_becomes_a_range_ending_now_with_a_default_step()
    {
        using var host = Host();
        _prometheus.Answer("up", Matrix);
        var before = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "up", start = "now-1h" }), default);

        Assert.True(outcome.Succeeded, outcome.Error);
        var hit = Assert.Single(_prometheus.Hits);
        var start = double.Parse(hit.Query["start"], CultureInfo.InvariantCulture);
        var end = double.Parse(hit.Query["end"], CultureInfo.InvariantCulture);
        Assert.InRange(end - start, 3599, 3601);
        Assert.InRange(end, before.ToUnixTimeSeconds() - 1, before.ToUnixTimeSeconds() + 60);
        Assert.Equal("15", hit.Query["step"]); // an hour in about 250 points
    }

    [Fact]
    public async Task Query_that_matches_nothing_says_so()
    {
        using var host = Host();
        _prometheus.Answer("absent_metric", """{"status":"success","data":{"resultType":"vector","result":[]}}""");

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "absent_metric" }), default);

        Assert.True(outcome.Succeeded);
        Assert.Equal("no series (vector): the query matched nothing", outcome.Summary);
    }

    [Fact]
    public async Task Scalar_result_is_shown_as_its_value()
    {
        using var host = Host();
        _prometheus.Answer("scalar(42)", """{"status":"success","data":{"resultType":"scalar","result":[1714557600,"42"]}}""");

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "scalar(42)" }), default);

        Assert.Equal("scalar 42", outcome.Summary);
    }

    [Fact]
    public async Task Error_from_prometheus_is_reported_with_its_type_and_message()
    {
        using var host = Host();

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "sum(" }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        Assert.StartsWith("Prometheus refused the query (bad_data: invalid parameter \"query\"", outcome.Summary);
        Assert.Contains("parse error", outcome.Error);
    }

    [Fact]
    public async Task Unavailable_prometheus_fails_as_transient()
    {
        using var host = Host();
        _prometheus.Answer("up", """{"status":"error","errorType":"unavailable","error":"TSDB not ready"}""", status: 503);

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "up" }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.True(outcome.Transient);
        Assert.Contains("TSDB not ready", outcome.Summary);
    }

    [Fact]
    public async Task Warnings_are_shown_with_the_result()
    {
        using var host = Host();
        _prometheus.Answer("up", """{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["query hit the series limit"]}""");

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "up" }), default);

        Assert.Contains("warning: query hit the series limit", outcome.Output);
    }

    [Fact]
    public async Task Series_beyond_MaxSeries_are_counted_not_listed()
    {
        using var host = Host(extra: new Dictionary<string, string?> { ["Tools:Prometheus:MaxSeries"] = "1" });
        _prometheus.Answer("up", Vector);

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "up" }), default);

        Assert.Contains("(and 1 more series)", outcome.Output);
        Assert.DoesNotContain("b:9090", outcome.Output);
    }

    [Fact]
    public async Task Base_url_with_a_path_prefix_is_kept()
    {
        using var host = Host(baseUrl: _prometheus.BaseUrl + "/prometheus");
        _prometheus.Answer("up", Vector);

        await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "up" }), default);

        Assert.Equal("/prometheus/api/v1/query", Assert.Single(_prometheus.Hits).Path);
    }

    [Fact]
    public async Task Configured_headers_are_sent_and_their_values_are_redacted_from_results()
    {
        using var host = Host(extra: new Dictionary<string, string?> { ["Tools:Prometheus:Headers:Authorization"] = "Bearer prom-token-123" });
        _prometheus.Answer("up", """{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["request from prom-token-123"]}""");

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "up" }), default);

        Assert.Equal("Bearer prom-token-123", Assert.Single(_prometheus.Hits).Headers["Authorization"]);
        var shown = host.Redactor.Redact(outcome);
        Assert.DoesNotContain("prom-token-123", shown.Output);
        Assert.Contains("request from [redacted]", shown.Output);
    }

    [Fact]
    public async Task Unreachable_prometheus_fails_as_transient()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var host = Host(baseUrl: $"http://127.0.0.1:{port}");

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "up" }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.True(outcome.Transient);
        Assert.Contains("unreachable", outcome.Summary);
    }

    [Theory]
    [InlineData("""{"query":"up","end":"now"}""", "needs a start")]
    [InlineData("""{"query":"up","step":"1m"}""", "needs a start")]
    [InlineData("""{"query":"up","start":"yesterday"}""", "is not a time")]
    [InlineData("""{"query":"up","start":"now-1h","step":"fast"}""", "is not a positive duration")]
    [InlineData("""{"query":"up","start":"now-1h","end":"now-2h"}""", "must be after start")]
    [InlineData("""{"query":"up","start":"now-30d","step":"1s"}""", "more than Prometheus allows")]
    [InlineData("""{"start":"now-1h"}""", "needs a 'query'")]
    public void Malformed_ranges_are_refused_at_plan_time(string json, string why)
    {
        using var host = Host();

        var refusal = Assert.Single(host.Tool("prometheus.query").CheckArguments(System.Text.Json.JsonDocument.Parse(json).RootElement));

        Assert.Contains(why, refusal);
    }

    [Fact]
    public void Enabled_without_a_base_url_fails_at_start_naming_the_key()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Prometheus:Enabled"] = "true" });

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Prometheus:BaseUrl", error.Message);
    }

    [Fact]
    public void The_tool_is_not_registered_unless_enabled()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Prometheus:BaseUrl"] = "http://prometheus:9090" });

        Assert.DoesNotContain(host.Tools, t => t.Descriptor.Name == "prometheus.query");
    }
}
