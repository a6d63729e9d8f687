using System.Net;
using System.Net.Http.Headers;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Claims;
using BotAgent.Testing;
using BotAgent.Traces;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Tests.Traces;

/// <summary>The trace pages stay off the network: callers on this machine only, unless a caller brings the configured bearer token or signs in.</summary>
public sealed class TraceAccessTests
{
    private const string Token = "trace-token-0123456789abcdef";

    public static TheoryData<bool, string?, string?, TraceAccess> Cases => new()
    {
        { true, null, null, TraceAccess.Allowed },
        { false, null, null, TraceAccess.Forbidden },
        { false, $"Bearer {Token}", null, TraceAccess.Forbidden },
        { false, null, Token, TraceAccess.Unauthorized },
        { false, "Bearer wrong-token-0123456789abcdef", Token, TraceAccess.Unauthorized },
        { false, "Bearer " + Token[..^1], Token, TraceAccess.Unauthorized },
        { false, $"Basic {Token}", Token, TraceAccess.Unauthorized },
        { false, $"Bearer {Token}", Token, TraceAccess.Allowed },
        { false, $"bearer {Token}", Token, TraceAccess.Allowed },
        { true, "Bearer wrong-token-0123456789abcdef", Token, TraceAccess.Allowed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Local_callers_are_let_in_and_others_only_with_the_token(bool local, string? authorization, string? configuredToken, TraceAccess expected)
    {
        var options = new TraceViewerOptions { AccessToken = configuredToken };

        Assert.Equal(expected, TraceViewerAccess.Check(local, authorization, options));
    }

    public static TheoryData<string?, string, bool, bool> Callers => new()
    {
        { "127.0.0.1", "localhost:3978", false, true },
        { "::1", "[::1]:3978", false, true },
        { "::ffff:127.0.0.1", "127.0.0.1", false, true },
        { "127.0.0.1", "127.8.9.10:80", false, true },
        { "127.0.0.1", "LocalHost", false, true },
        { "127.0.0.1", "[::ffff:127.0.0.1]:3978", false, true },
        // A page on another site that rebound its name to 127.0.0.1: loopback connection, foreign Host.
        { "127.0.0.1", "attacker.example", false, false },
        { "127.0.0.1", "attacker.example:3978", false, false },
        { "127.0.0.1", "localhost.attacker.example", false, false },
        { "127.0.0.1", "127.0.0.1.nip.io", false, false },
        { "127.0.0.1", "192.0.2.7:3978", false, false },
        { "127.0.0.1", "[2001:db8::1]", false, false },
        { "127.0.0.1", "", false, false },
        // Behind a proxy on this machine every connection is local: the forwarded request is a remote caller.
        { "127.0.0.1", "localhost", true, false },
        { "192.0.2.7", "localhost", false, false },
        { null, "localhost", false, false },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public void A_caller_is_local_only_over_loopback_naming_a_loopback_host_and_not_forwarded(string? peer, string host, bool proxied, bool expected)
    {
        var address = peer is null ? null : IPAddress.Parse(peer);

        Assert.Equal(expected, LoopbackCaller.IsLocal(address, host.Length == 0 ? default : new HostString(host), proxied));
    }

    [Fact]
    public void The_dangerous_switch_lets_anyone_in()
    {
        Assert.Equal(TraceAccess.Allowed, TraceViewerAccess.Check(false, null, new TraceViewerOptions { DangerouslyAllowRemoteWithoutToken = true }));
    }

    [Fact]
    public void An_allowed_group_or_app_role_lets_a_person_in_and_nothing_else_does()
    {
        var entra = new TraceEntraOptions { AllowedGroups = ["5D1C7A9E-0F3B-4C2D-9E8F-7A6B5C4D3E2F", ""], AllowedRoles = ["Traces.Read"] };
        static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
            new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

        Assert.True(EntraMembership.Allows(User(("groups", "5d1c7a9e-0f3b-4c2d-9e8f-7a6b5c4d3e2f")), entra));
        Assert.True(EntraMembership.Allows(User(("groups", "other"), ("roles", "Traces.Read")), entra));
        Assert.False(EntraMembership.Allows(User(("roles", "traces.read")), entra));
        Assert.False(EntraMembership.Allows(User(("groups", "")), entra));
        Assert.False(EntraMembership.Allows(User(("roles", "5d1c7a9e-0f3b-4c2d-9e8f-7a6b5c4d3e2f"), ("groups", "Traces.Read")), entra));
        Assert.False(EntraMembership.Allows(User(("name", "Alice")), entra));
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
