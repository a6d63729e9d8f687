using BotAgent.Testing;

namespace BotAgent.Tools.Tests.Http;

/// <summary>Secrets configured as headers per host (<c>Tools:Http:Headers:{host}:{Header}</c>): sent, never shown.</summary>
public sealed class ConfiguredHeaderTests : IAsyncLifetime
{
    private const string ApiKey = "configured-key-4242";

    private TargetServer _target = null!;

    public async Task InitializeAsync() => _target = await TargetServer.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    private static HttpToolHost Host(params string[] allowedHosts) => HttpToolHost.Create(
        allowedHosts.Length == 0 ? ["127.0.0.1"] : allowedHosts,
        new Dictionary<string, string?>
        {
            ["Tools:Http:Headers:127.0.0.1:X-Api-Key"] = ApiKey,
            ["Tools:Http:Headers:127.0.0.1:Authorization"] = "Bearer configured-bearer-777",
        });

    [Fact]
    public async Task Headers_configured_for_the_host_are_sent_without_appearing_in_the_arguments()
    {
        using var host = Host();
        _target.Respond("/api", new TargetResponse(200, "ok"));

        var outcome = await host.InvokeAsync(_target.Url("/api"));

        Assert.True(outcome.Succeeded);
        var hit = Assert.Single(_target.Hits);
        Assert.Equal(ApiKey, hit.Headers["X-Api-Key"]);
        Assert.Equal("Bearer configured-bearer-777", hit.Headers["Authorization"]);
    }

    [Fact]
    public async Task A_configured_header_replaces_one_a_step_sets()
    {
        using var host = Host();
        _target.Respond("/api", new TargetResponse(200, "ok"));

        await host.InvokeAsync(_target.Url("/api"), new Dictionary<string, string> { ["X-Api-Key"] = "from-the-plan" });

        Assert.Equal(ApiKey, Assert.Single(_target.Hits).Headers["X-Api-Key"]);
    }

    [Fact]
    public async Task Headers_are_not_sent_to_another_host_a_redirect_points_at()
    {
        using var host = Host("127.0.0.1", "localhost");
        _target.Respond("/go", new TargetResponse(302, "", Headers: new Dictionary<string, string> { ["Location"] = $"http://localhost:{_target.BaseUri.Port}/landing" }));
        _target.Respond("/landing", new TargetResponse(200, "landed"));

        var outcome = await host.InvokeAsync(_target.Url("/go"));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(ApiKey, Assert.Single(_target.Hits, h => h.Path == "/go").Headers["X-Api-Key"]);
        var landed = Assert.Single(_target.Hits, h => h.Path == "/landing");
        Assert.False(landed.Headers.ContainsKey("X-Api-Key"), "a configured secret went to another host");
    }

    [Fact]
    public async Task A_target_that_echoes_a_configured_secret_shows_it_redacted()
    {
        using var host = Host();
        _target.Respond("/echo", new TargetResponse(200, $"you sent {ApiKey} and token configured-bearer-777"));
        var redactor = (BotAgent.Core.Tools.SecretRedactor)host.Services.GetService(typeof(BotAgent.Core.Tools.SecretRedactor))!;

        var outcome = redactor.Redact(await host.InvokeAsync(_target.Url("/echo")));

        Assert.Equal("you sent [redacted] and token [redacted]", outcome.Output);
    }
}
