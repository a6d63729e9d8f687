using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Testing;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests.Webhook;

/// <summary><c>webhook.post</c> against a real receiver on loopback.</summary>
public sealed class WebhookPostToolTests : IAsyncLifetime
{
    private const string Token = "Bearer tickets-token-9f8e7d";

    private TargetServer _receiver = null!;

    public async Task InitializeAsync() => _receiver = await TargetServer.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private ToolHost Host(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            // The HTTP tools may reach only example.com: the webhook target is allowed because it is configured.
            ["Tools:Http:AllowedHosts:0"] = "example.com",
            ["Tools:Webhook:Enabled"] = "true",
            ["Tools:Webhook:Targets:tickets:Url"] = _receiver.Url("/tickets"),
            ["Tools:Webhook:Targets:tickets:Headers:Authorization"] = Token,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return ToolHost.Create(settings);
    }

    private static ToolCall Call(int attempt = 1) =>
        ToolHost.Call(new { target = "tickets", payload = new { title = "Payment API latency", severity = 2 } }, attempt);

    [Fact]
    public void Descriptor_is_a_write_that_is_safe_to_retry_because_of_the_idempotency_key()
    {
        using var host = Host();
        var descriptor = host.Tool("webhook.post").Descriptor;

        Assert.Equal(RiskLevel.Write, descriptor.Risk);
        Assert.True(descriptor.Idempotent);
        Assert.True(descriptor.IsRetrySafe);
        Assert.Equal("target", descriptor.PrimaryArgument);
        Assert.Equal(["tickets"], descriptor.ArgumentSchema.GetProperty("properties").GetProperty("target").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Posts_the_payload_as_json_with_the_configured_headers_and_the_idempotency_key()
    {
        using var host = Host();
        _receiver.Respond("/tickets", new TargetResponse(201, """{"id":"T-1"}""", "application/json"));

        var outcome = await host.Tool("webhook.post").InvokeAsync(Call(), default);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.StartsWith("tickets: HTTP 201 Created in ", outcome.Summary);
        var hit = Assert.Single(_receiver.Hits);
        Assert.Equal("POST", hit.Method);
        Assert.StartsWith("application/json", hit.Headers["Content-Type"]);
        Assert.Equal(Token, hit.Headers["Authorization"]);
        Assert.Equal("run-1:1:s1", hit.Headers["Idempotency-Key"]);
        using var body = JsonDocument.Parse(hit.Body);
        Assert.Equal("Payment API latency", body.RootElement.GetProperty("title").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("severity").GetInt32());
        Assert.Equal("""{"id":"T-1"}""", outcome.Output);
    }

    [Fact]
    public async Task A_retry_after_a_transient_failure_carries_the_same_idempotency_key()
    {
        using var host = Host();
        _receiver.Respond("/tickets", new TargetResponse(503, "busy"), new TargetResponse(201, """{"id":"T-1"}"""));
        var tool = host.Tool("webhook.post");

        var first = await tool.InvokeAsync(Call(attempt: 1), default);
        var second = await tool.InvokeAsync(Call(attempt: 2), default);

        Assert.Equal(ToolStatus.Failed, first.Status);
        Assert.True(first.Transient, "a 503 must be retried");
        Assert.True(second.Succeeded);
        var keys = _receiver.Hits.Select(h => h.Headers["Idempotency-Key"]).ToArray();
        Assert.Equal(["run-1:1:s1", "run-1:1:s1"], keys);
    }

    [Fact]
    public async Task The_target_url_and_header_secrets_never_reach_a_result()
    {
        using var host = Host();
        _receiver.Respond("/tickets", new TargetResponse(400, $"bad request from {Token} to {_receiver.Url("/tickets")}"));

        var outcome = host.Redactor.Redact(await host.Tool("webhook.post").InvokeAsync(Call(), default));

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.False(outcome.Transient);
        var shown = string.Join("\n", outcome.Summary, outcome.Output, outcome.Error, string.Join("\n", outcome.Facts!.Select(f => f.Key + "=" + f.Value)));
        Assert.DoesNotContain("tickets-token-9f8e7d", shown);
        Assert.DoesNotContain(_receiver.Url("/tickets"), shown);
        Assert.DoesNotContain(outcome.Facts!, f => f.Key == "URL");
        Assert.Contains("[redacted]", outcome.Output);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        await using var elsewhere = await TargetServer.StartAsync();
        using var host = Host();
        _receiver.Respond("/tickets", new TargetResponse(307, "", Headers: new Dictionary<string, string> { ["Location"] = elsewhere.Url("/steal") }));

        var outcome = await host.Tool("webhook.post").InvokeAsync(Call(), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Empty(elsewhere.Hits);
    }

    [Fact]
    public async Task An_unreachable_target_fails_as_transient()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var host = Host(new Dictionary<string, string?> { ["Tools:Webhook:Targets:tickets:Url"] = $"http://127.0.0.1:{port}/tickets" });

        var outcome = await host.Tool("webhook.post").InvokeAsync(Call(), default);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.True(outcome.Transient);
    }

    [Theory]
    [InlineData("""{"target":"pager","payload":{}}""", "there is no webhook target 'pager'")]
    [InlineData("""{"target":"tickets","payload":"text"}""", "needs a 'payload' that is a JSON object")]
    [InlineData("""{"payload":{}}""", "needs a 'target'")]
    public void Unknown_targets_and_non_object_payloads_are_refused_at_plan_time(string json, string why)
    {
        using var host = Host();

        var refusal = Assert.Single(host.Tool("webhook.post").CheckArguments(JsonDocument.Parse(json).RootElement));

        Assert.Contains(why, refusal);
    }

    [Theory]
    [InlineData("tickets")]
    [InlineData("TICKETS")]
    public void Targets_of_a_configured_target_is_its_configured_name_never_its_url(string target)
    {
        using var host = Host();

        var targets = host.Tool("webhook.post").Targets(ToolHost.Args(new { target, payload = new { } }));

        Assert.Equal(["webhook:tickets"], targets);
        Assert.DoesNotContain(targets, t => t.Contains(_receiver.BaseUrl, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("""{"target":"pager","payload":{}}""")]
    [InlineData("""{"target":42,"payload":{}}""")]
    [InlineData("""{"payload":{}}""")]
    [InlineData("[]")]
    public void Targets_of_an_unknown_or_missing_target_are_empty(string json)
    {
        using var host = Host();

        Assert.Empty(host.Tool("webhook.post").Targets(JsonDocument.Parse(json).RootElement));
    }

    [Fact]
    public void Descriptor_targets_are_every_configured_target_by_name_in_order()
    {
        using var host = Host(new Dictionary<string, string?> { ["Tools:Webhook:Targets:alerts:Url"] = _receiver.Url("/alerts") });

        Assert.Equal(["webhook:alerts", "webhook:tickets"], host.Tool("webhook.post").Descriptor.Targets);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(422)]
    [InlineData(503)]
    public async Task A_post_measures_the_status_the_target_answered_with(int status)
    {
        using var host = Host();
        _receiver.Respond("/tickets", new TargetResponse(status, "answer"));

        var outcome = await host.Tool("webhook.post").InvokeAsync(Call(), default);

        Assert.Equal(status < 400, outcome.Succeeded);
        Assert.Equal(new ToolMeasures(Status: status), outcome.Measures);
    }

    [Fact]
    public void Enabled_with_a_target_without_url_fails_at_start_naming_the_key()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?>
        {
            ["Tools:Webhook:Enabled"] = "true",
            ["Tools:Webhook:Targets:tickets:Headers:Authorization"] = Token,
        });

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Webhook:Targets:tickets:Url", error.Message);
        Assert.DoesNotContain("tickets-token", error.Message);
    }

    [Fact]
    public void A_configured_idempotency_key_header_fails_at_start()
    {
        using var host = Host(new Dictionary<string, string?> { ["Tools:Webhook:Targets:tickets:Headers:Idempotency-Key"] = "fixed" });

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Webhook:Targets:tickets:Headers:Idempotency-Key", error.Message);
    }

    [Fact]
    public void The_tool_is_not_registered_unless_enabled()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?> { ["Tools:Webhook:Targets:tickets:Url"] = "https://tickets.example.com/hook" });

        Assert.DoesNotContain(host.Tools, t => t.Descriptor.Name == "webhook.post");
    }
}
