using System.Net;
using System.Net.Http.Headers;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotAgent.Tests.Traces;

/// <summary>
/// "On this machine" means a loopback connection that also names a loopback host and was not forwarded; and
/// it means nothing at all while forwarded headers are processed or the operator turned loopback access off.
/// </summary>
public sealed class TraceLoopbackTests
{
    private const string Token = "trace-token-0123456789abcdef";

    [Fact]
    public async Task A_loopback_request_that_names_another_host_is_refused_as_a_rebinding_page_would_send_it()
    {
        // Host filtering (400) stops these by default; opened up, the trace pages' own check still does.
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["AllowedHosts"] = "*" });
        var runId = await RunAsync(s);
        var port = s.Bot.BaseUri.Port;

        foreach (var host in new[] { "attacker.example", $"attacker.example:{port}", "127.0.0.1.attacker.example", "localhost.attacker.example" })
        {
            foreach (var path in new[] { "runs", $"runs/{runId}", $"runs/{runId}.json" })
            {
                using var response = await SendAsync(s.Bot, path, host: host);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Host '{host}' GET /{path} answered {(int)response.StatusCode}.");
                Assert.DoesNotContain(runId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        foreach (var host in new[] { $"localhost:{port}", "LOCALHOST", $"127.0.0.1:{port}", "127.4.5.6", $"[::1]:{port}" })
        {
            using var response = await SendAsync(s.Bot, $"runs/{runId}.json", host: host);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Host '{host}' answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public async Task With_forwarded_headers_enabled_a_forged_X_Forwarded_For_does_not_make_a_caller_local()
    {
        var logs = new InMemoryLoggerProvider();
        // What ASPNETCORE_FORWARDEDHEADERS_ENABLED=true becomes in configuration (an environment variable would leak into other tests).
        await using var s = await BotScenario.StartAsync(
            settings: new Dictionary<string, string?> { ["ForwardedHeaders_Enabled"] = "true", ["Traces:AccessToken"] = Token },
            configure: b => logs.AddTo(b.Logging));
        var runId = await RunAsync(s);

        using var forged = await SendAsync(s.Bot, $"runs/{runId}.json", forwardedFor: "127.0.0.1");
        using var plain = await SendAsync(s.Bot, $"runs/{runId}.json");
        using var page = await SendAsync(s.Bot, "runs", forwardedFor: "::1");
        using var withToken = await SendAsync(s.Bot, $"runs/{runId}.json", forwardedFor: "127.0.0.1", token: Token);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.DoesNotContain(runId, await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Contains(runId, await withToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning
            && l.Message.Contains("loopback access is off", StringComparison.Ordinal)
            && l.Message.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configured_forwarded_header_options_turn_loopback_access_off_too()
    {
        var logs = new InMemoryLoggerProvider();
        await using var s = await BotScenario.StartAsync(configure: b =>
        {
            logs.AddTo(b.Logging);
            b.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor);
        });
        var runId = await RunAsync(s);

        using var response = await SendAsync(s.Bot, $"runs/{runId}.json");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("ForwardedHeadersOptions", StringComparison.Ordinal));
        // Nothing else lets anyone in, and the log says so.
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("nobody can open them", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoopbackAccess_false_refuses_callers_on_this_machine_and_the_token_still_works()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Traces:LoopbackAccess"] = "false",
            ["Traces:AccessToken"] = Token,
        });
        var runId = await RunAsync(s);

        using var local = await SendAsync(s.Bot, $"runs/{runId}.json", host: "localhost");
        using var withToken = await SendAsync(s.Bot, $"runs/{runId}.json", token: Token);

        Assert.Equal(HttpStatusCode.Unauthorized, local.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
    }

    /// <summary>A run awaiting approval: its ledger already holds the goal and the plan.</summary>
    internal static async Task<string> RunAsync(BotScenario s)
    {
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/status")}");
        return card.ButtonData("approve")["runId"]!.GetValue<string>();
    }

    private static async Task<HttpResponseMessage> SendAsync(BotUnderTest bot, string path, string? host = null, string? forwardedFor = null, string? token = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bot.BaseUri, path));
        if (host is not null)
            request.Headers.Host = host;
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }
}
