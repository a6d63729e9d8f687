using System.Text.Json;
using BotAgent.Core.Tools;

namespace BotAgent.Tools.Tests.Prometheus;

/// <summary>What <c>prometheus.query</c> reaches (the configured server) and what it measures, against the test Prometheus on loopback.</summary>
public sealed class PrometheusTargetsTests : IAsyncLifetime
{
    private PrometheusTestServer _prometheus = null!;

    public async Task InitializeAsync() => _prometheus = await PrometheusTestServer.StartAsync();

    public async Task DisposeAsync() => await _prometheus.DisposeAsync();

    private ToolHost Host(string? baseUrl = null) => ToolHost.Create(new Dictionary<string, string?>
    {
        ["Tools:Http:Enabled"] = "false",
        ["Tools:Prometheus:Enabled"] = "true",
        ["Tools:Prometheus:BaseUrl"] = baseUrl ?? _prometheus.BaseUrl,
    });

    private async Task<ToolOutcome> QueryAsync(string query, string answer, object? args = null)
    {
        using var host = Host();
        _prometheus.Answer(query, answer);
        return await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(args ?? new { query }), default);
    }

    [Theory]
    [InlineData("""{"query":"up"}""")]
    [InlineData("""{"query":"rate(latency[5m])","start":"now-1h"}""")]
    [InlineData("{}")]
    public void Targets_of_any_query_are_the_configured_server(string json)
    {
        using var host = Host();

        var targets = host.Tool("prometheus.query").Targets(JsonDocument.Parse(json).RootElement);

        Assert.Equal(["prometheus:" + _prometheus.BaseUrl], targets);
    }

    [Fact]
    public void Targets_are_the_servers_origin_without_its_path_prefix_and_lower_case()
    {
        using var host = Host("HTTP://Prometheus.Example.com:9090/prometheus/");
        var tool = host.Tool("prometheus.query");

        Assert.Equal(["prometheus:http://prometheus.example.com:9090"], tool.Targets(ToolHost.Args(new { query = "up" })));
        Assert.Equal(["prometheus:http://prometheus.example.com:9090"], tool.Descriptor.Targets);
    }

    [Fact]
    public async Task A_vector_measures_its_series_and_the_highest_last_value()
    {
        var outcome = await QueryAsync("up", """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"instance":"a"},"value":[1714557600,"1"]},
              {"metric":{"instance":"b"},"value":[1714557600,"0"]},
              {"metric":{"instance":"c"},"value":[1714557600,"0.5"]}
            ]}}
            """);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(new ToolMeasures(Count: 3, Value: 1), outcome.Measures);
    }

    [Fact]
    public async Task A_matrix_measures_the_highest_last_value_not_the_highest_value_and_ignores_NaN_and_Inf()
    {
        var outcome = await QueryAsync("rate(latency[5m])", """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"route":"/pay"},"values":[[1714557600,"0.12"],[1714557660,"0.98"],[1714557720,"0.45"]]},
              {"metric":{"route":"/refund"},"values":[[1714557600,"0.1"],[1714557660,"0.2"],[1714557720,"+Inf"]]},
              {"metric":{"route":"/search"},"values":[[1714557600,"0.3"],[1714557660,"NaN"]]},
              {"metric":{"route":"/login"},"values":[[1714557600,"0.3"],[1714557660,"-0.7"]]}
            ]}}
            """, new { query = "rate(latency[5m])", start = "2024-05-01T10:00:00Z", end = "2024-05-01T11:00:00Z", step = "1m" });

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(new ToolMeasures(Count: 4, Value: 0.45), outcome.Measures);
    }

    [Fact]
    public async Task A_result_whose_last_values_are_all_NaN_or_Inf_measures_the_series_without_a_value()
    {
        var outcome = await QueryAsync("ratio", """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"job":"a"},"value":[1714557600,"NaN"]},
              {"metric":{"job":"b"},"value":[1714557600,"-Inf"]}
            ]}}
            """);

        Assert.Equal(new ToolMeasures(Count: 2, Value: null), outcome.Measures);
    }

    [Fact]
    public async Task A_query_that_matches_nothing_measures_no_series_and_no_value()
    {
        var outcome = await QueryAsync("absent_metric", """{"status":"success","data":{"resultType":"vector","result":[]}}""");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(new ToolMeasures(Count: 0, Value: null), outcome.Measures);
    }

    [Fact]
    public async Task A_scalar_measures_its_value()
    {
        var outcome = await QueryAsync("scalar(42)", """{"status":"success","data":{"resultType":"scalar","result":[1714557600,"42.5"]}}""");

        Assert.Equal(new ToolMeasures(Count: 1, Value: 42.5), outcome.Measures);
    }

    [Fact]
    public async Task A_refused_query_measures_nothing()
    {
        using var host = Host();

        var outcome = await host.Tool("prometheus.query").InvokeAsync(ToolHost.Call(new { query = "sum(" }), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Null(outcome.Measures);
    }
}
