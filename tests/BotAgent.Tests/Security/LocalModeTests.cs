using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using Microsoft.Extensions.Logging;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Security;

/// <summary>
/// Local mode (no MicrosoftAppId) has no token to check, so it must not be reachable from a web page in the
/// developer's browser: a cross-site "no-cors" POST (text/plain, with an Origin), a DNS-rebinding page (its own host
/// name), a forged X-Forwarded-For once forwarded headers are processed, and a serviceUrl pointing elsewhere.
/// Each attempt is refused and leaves nothing behind: no inbox row, no run, no call to any channel.
/// </summary>
public sealed class LocalModeTests
{
    [Fact]
    public async Task A_cross_site_no_cors_post_as_text_plain_is_refused_with_415_and_nothing_is_stored()
    {
        await using var s = await BotScenario.StartAsync(settings: AnyHost);

        var response = await SendAsync(s, Goal(s), contentType: "text/plain;charset=UTF-8", origin: "https://evil.example", host: "evil.example");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertNothingStoredAsync(s);
    }

    [Fact]
    public async Task A_json_post_from_a_web_page_is_refused_by_its_origin()
    {
        await using var s = await BotScenario.StartAsync();

        var response = await SendAsync(s, Goal(s), origin: "http://localhost:3000");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Origin", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(s);
    }

    [Fact]
    public async Task A_request_addressed_to_another_host_name_as_after_dns_rebinding_is_refused()
    {
        // Refused by host filtering by default (400), and by local mode's own check when that is opened up (403).
        await using (var s = await BotScenario.StartAsync())
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(s, Goal(s), host: "attacker.example")).StatusCode);
            await AssertNothingStoredAsync(s);
        }
        await using (var s = await BotScenario.StartAsync(settings: AnyHost))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(s, Goal(s), host: "attacker.example")).StatusCode);
            await AssertNothingStoredAsync(s);
        }
    }

    [Fact]
    public async Task Host_filtering_allows_the_loopback_names_and_the_public_address_configured_and_nothing_else()
    {
        var logs = new InMemoryLoggerProvider();
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["BotFramework:PublicBaseUrl"] = "https://bot.example.com" },
            configure: b => logs.AddTo(b.Logging));

        Assert.Equal(HttpStatusCode.OK, (await SendGetAsync(s, "runs", "localhost")).StatusCode);
        // Past the host filter; the trace pages' own rule then wants a sign-in from a non-loopback name.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendGetAsync(s, "runs", "bot.example.com")).StatusCode);
        var refused = await SendGetAsync(s, "runs", "elsewhere.example");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("BotFramework:PublicBaseUrl", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("Refused a request for host 'elsewhere.example'", StringComparison.Ordinal));
        await SendGetAsync(s, "runs", "elsewhere.example");
        Assert.Single(logs.Lines, l => l.Message.Contains("Refused a request for host 'elsewhere.example'", StringComparison.Ordinal)); // once per name
    }

    [Theory]
    [InlineData("healthz")]
    [InlineData("readyz")]
    public async Task Health_probes_answer_whatever_host_they_name_as_a_kubernetes_probe_names_the_pods_ip(string probe)
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["BotFramework:PublicBaseUrl"] = "https://bot.example.com" });

        Assert.Equal(HttpStatusCode.OK, (await SendGetAsync(s, probe, "10.1.2.3:3978")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendGetAsync(s, "api/messages", "10.1.2.3:3978")).StatusCode);
    }

    private static readonly Dictionary<string, string?> AnyHost = new() { ["AllowedHosts"] = "*" };

    private static async Task<HttpResponseMessage> SendGetAsync(BotScenario s, string path, string host)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(s.Bot.BaseUri, path));
        request.Headers.Host = host;
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task An_activity_whose_service_url_is_not_on_this_machine_is_refused_and_nothing_is_posted_there()
    {
        await using var s = await BotScenario.StartAsync();
        await using var elsewhere = await TestChannelServer.StartAsync();
        var goal = new Activities(elsewhere.ServiceUrl.Replace("127.0.0.1", "evil.localtest.me", StringComparison.Ordinal)).Message(BotScenario.Alice, "check https://example.com");

        var response = await SendAsync(s, goal);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("serviceUrl", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(s);
        Assert.Empty(elsewhere.Calls);
    }

    [Fact]
    public async Task With_forwarded_headers_processed_a_forged_loopback_x_forwarded_for_does_not_make_a_caller_local()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true" });

        var response = await SendAsync(s, Goal(s), forwardedFor: "127.0.0.1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertNothingStoredAsync(s);
    }

    [Fact]
    public async Task The_emulator_posting_json_to_localhost_with_a_loopback_service_url_is_still_served()
    {
        await using var s = await BotScenario.StartAsync();

        var response = await SendAsync(s, Goal(s), contentType: "application/json; charset=utf-8", host: $"localhost:{s.Bot.BaseUri.Port}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await s.Channel.WaitForAsync(c => c.IsPost && c.Card is not null, what: "the plan card");
    }

    private static JsonObject Goal(BotScenario s) =>
        s.Activities.Message(BotScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST body=\"pwned\"");

    private static async Task<HttpResponseMessage> SendAsync(
        BotScenario s, JsonObject activity, string contentType = "application/json", string? origin = null, string? host = null, string? forwardedFor = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, s.Bot.MessagesUri)
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (origin is not null)
            request.Headers.TryAddWithoutValidation("Origin", origin);
        if (host is not null)
            request.Headers.Host = host;
        if (forwardedFor is not null)
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request);
    }

    private static async Task AssertNothingStoredAsync(BotScenario s)
    {
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM runs"));
        Assert.Empty(s.Channel.Calls);
    }
}
