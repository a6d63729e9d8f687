using System.Net;
using System.Net.Http.Headers;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using BotAgent.Testing;
using BotAgent.Traces;

namespace BotAgent.Tests.Traces;

/// <summary>The trace pages stay off the network: loopback only, unless a caller brings the configured bearer token.</summary>
public sealed class TraceAccessTests
{
    private const string Token = "trace-token-0123456789abcdef";

    public static TheoryData<string, bool, string?, string?, TraceAccess> Cases => new()
    {
        { "127.0.0.1", false, null, null, TraceAccess.Allowed },
        { "::1", false, null, null, TraceAccess.Allowed },
        { "::ffff:127.0.0.1", false, null, null, TraceAccess.Allowed },
        { "192.0.2.7", false, null, null, TraceAccess.Forbidden },
        { "192.0.2.7", false, $"Bearer {Token}", null, TraceAccess.Forbidden },
        { "192.0.2.7", false, null, Token, TraceAccess.Unauthorized },
        { "192.0.2.7", false, "Bearer wrong-token-0123456789abcdef", Token, TraceAccess.Unauthorized },
        { "192.0.2.7", false, "Bearer " + Token[..^1], Token, TraceAccess.Unauthorized },
        { "192.0.2.7", false, $"Basic {Token}", Token, TraceAccess.Unauthorized },
        { "192.0.2.7", false, $"Bearer {Token}", Token, TraceAccess.Allowed },
        { "192.0.2.7", false, $"bearer {Token}", Token, TraceAccess.Allowed },
        // Behind a proxy on this machine every connection is local: the forwarded request is a remote caller.
        { "127.0.0.1", true, null, null, TraceAccess.Forbidden },
        { "127.0.0.1", true, $"Bearer {Token}", Token, TraceAccess.Allowed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loopback_callers_are_let_in_and_others_only_with_the_token(string address, bool proxied, string? authorization, string? configuredToken, TraceAccess expected)
    {
        var options = new TraceViewerOptions { AccessToken = configuredToken };

        Assert.Equal(expected, TraceViewerAccess.Check(IPAddress.Parse(address), proxied, authorization, options));
    }

    [Fact]
    public void The_dangerous_switch_lets_anyone_in_and_no_address_counts_as_remote()
    {
        Assert.Equal(TraceAccess.Allowed, TraceViewerAccess.Check(IPAddress.Parse("192.0.2.7"), false, null, new TraceViewerOptions { DangerouslyAllowRemoteWithoutToken = true }));
        Assert.Equal(TraceAccess.Forbidden, TraceViewerAccess.Check(null, false, null, new TraceViewerOptions()));
    }

    [Fact]
    public async Task A_caller_on_another_address_is_refused_without_the_token_and_let_in_with_it()
    {
        // The bot listens on this machine's network address: a request to it comes from that address, not loopback.
        // Without one (a sandbox with loopback only) the rule is still covered by the theory above.
        if (NetworkAddress() is not { } address)
            return;
        var url = $"http://{address}:0";
        await using (var open = await BotUnderTest.StartAsync(new Dictionary<string, string?> { ["urls"] = url }))
        {
            using var http = new HttpClient();
            Assert.NotEqual("127.0.0.1", open.BaseUri.Host);
            var refused = await http.GetAsync(new Uri(open.BaseUri, "runs"));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Traces:AccessToken", await refused.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri(open.BaseUri, "runs/x.json"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(open.BaseUri, "healthz"))).StatusCode);
        }

        await using var guarded = await BotUnderTest.StartAsync(new Dictionary<string, string?> { ["urls"] = url, ["Traces:AccessToken"] = Token });
        using var client = new HttpClient();
        var missing = await client.GetAsync(new Uri(guarded.BaseUri, "runs"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain(Token, await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, guarded, "runs", "not-the-token-0123456789")).StatusCode);
        var allowed = await SendAsync(client, guarded, "runs", Token);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("data-total=\"0\"", await allowed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, guarded, "runs/x.json", Token)).StatusCode);
    }

    [Fact]
    public async Task A_request_forwarded_by_a_local_proxy_counts_as_remote()
    {
        await using var bot = await BotUnderTest.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bot.BaseUri, "runs"));
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/runs")).StatusCode);
    }

    [Fact]
    public async Task A_guessable_access_token_stops_the_bot_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var bot = await BotUnderTest.StartAsync(new Dictionary<string, string?> { ["Traces:AccessToken"] = "short" });
        });

        Assert.Contains("Traces:AccessToken", error.Message);
        Assert.DoesNotContain("short", error.Message.Replace("Traces:AccessToken", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turned_off_the_pages_are_not_there()
    {
        await using var bot = await BotUnderTest.StartAsync(new Dictionary<string, string?> { ["Traces:Enabled"] = "false", ["Traces:AccessToken"] = "" });

        Assert.Equal(HttpStatusCode.NotFound, (await bot.GetAsync("/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/healthz")).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, BotUnderTest bot, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bot.BaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static IPAddress? NetworkAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
