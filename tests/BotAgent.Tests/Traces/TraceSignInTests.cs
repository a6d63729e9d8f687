using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Web;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BotAgent.Tests.Traces;

/// <summary>
/// Entra ID for the trace pages, against a loopback OpenID provider: people sign in (code flow with PKCE) and
/// get a short-lived cookie; scripts send an Entra bearer token. Either way only an allowed group or app role
/// lets them see anything. Loopback access is off in these tests, as it is behind a proxy.
/// </summary>
public sealed class TraceSignInTests
{
    private const string Group = "5d1c7a9e-0f3b-4c2d-9e8f-7a6b5c4d3e2f";
    private const string Role = "Traces.Read";
    private const string Token = "trace-token-0123456789abcdef";

    [Fact]
    public async Task Entra_tokens_for_this_app_with_an_allowed_group_or_role_read_the_json()
    {
        await using var entra = await TestEntraServer.StartAsync();
        await using var s = await StartAsync(entra, new() { ["Traces:Entra:AllowedRoles:0"] = Role, ["Traces:AccessToken"] = Token });
        var runId = await TraceLoopbackTests.RunAsync(s);
        var json = $"runs/{runId}.json";
        using (var none = await GetAsync(Client(), s.Bot, json))
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);

        var cases = new (string Case, string Bearer)[]
        {
            ("allowed group, api:// audience", entra.AccessToken(TestEntraUser.Alice(Group))),
            ("allowed group, client id audience", entra.AccessToken(TestEntraUser.Alice(Group), audience: TestEntraServer.ClientId)),
            ("allowed app role", entra.AccessToken(TestEntraUser.Alice() with { Roles = [Role] })),
            ("group id in upper case", entra.AccessToken(TestEntraUser.Alice(Group.ToUpperInvariant()))),
            ("Traces:AccessToken", Token),
        };
        foreach (var (name, bearer) in cases)
        {
            using var response = await GetAsync(Client(), s.Bot, json, bearer);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode}");
            Assert.Contains(runId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var page = await GetAsync(Client(), s.Bot, $"runs/{runId}", entra.AccessToken(TestEntraUser.Alice(Group)));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Entra_tokens_without_an_allowed_group_or_not_for_this_app_expired_or_signed_by_another_key_are_refused()
    {
        await using var entra = await TestEntraServer.StartAsync();
        await using var s = await StartAsync(entra, new() { ["Traces:Entra:AllowedRoles:0"] = Role });
        var runId = await TraceLoopbackTests.RunAsync(s);
        var json = $"runs/{runId}.json";
        var alice = TestEntraUser.Alice(Group);
        using var stranger = RSA.Create(2048);

        var cases = new (string Case, string? Bearer, HttpStatusCode Expected)[]
        {
            ("no token", null, HttpStatusCode.Unauthorized),
            ("another group", entra.AccessToken(TestEntraUser.Mallory("0b0b0b0b-0000-4000-8000-000000000000")), HttpStatusCode.Forbidden),
            ("another app role", entra.AccessToken(TestEntraUser.Mallory() with { Roles = ["Traces.Write"] }), HttpStatusCode.Forbidden),
            ("no group at all", entra.AccessToken(TestEntraUser.Mallory()), HttpStatusCode.Forbidden),
            ("another app's audience", entra.AccessToken(alice, audience: "api://another-app"), HttpStatusCode.Unauthorized),
            ("expired an hour ago", entra.AccessToken(alice, expiresIn: TimeSpan.FromHours(-1)), HttpStatusCode.Unauthorized),
            ("signed by a key not in the JWKS", entra.AccessToken(alice, signWith: new RsaSecurityKey(stranger)), HttpStatusCode.Unauthorized),
            ("another tenant's issuer", entra.AccessToken(alice, issuer: entra.IssuerOf("0e0e0e0e-0000-4000-8000-000000000000")), HttpStatusCode.Unauthorized),
            ("not a token", "not-a-jwt-0123456789abcdef", HttpStatusCode.Unauthorized),
        };
        foreach (var (name, bearer, expected) in cases)
        {
            using var response = await GetAsync(Client(), s.Bot, json, bearer);
            Assert.True(response.StatusCode == expected, $"{name}: {(int)response.StatusCode}, expected {(int)expected}");
            Assert.DoesNotContain(runId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            if (expected == HttpStatusCode.Unauthorized)
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task A_page_sends_someone_not_signed_in_to_Entra_with_PKCE_and_the_json_answers_401()
    {
        await using var entra = await TestEntraServer.StartAsync();
        await using var s = await StartAsync(entra);
        var runId = await TraceLoopbackTests.RunAsync(s);

        using var page = await GetAsync(Client(), s.Bot, $"runs/{runId}");
        using var json = await GetAsync(Client(), s.Bot, $"runs/{runId}.json");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var location = page.Headers.Location!;
        Assert.StartsWith(entra.AuthorizeEndpoint + "?", location.ToString(), StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal(TestEntraServer.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(new Uri(s.Bot.BaseUri, "signin-oidc").ToString(), query["redirect_uri"]);
        Assert.Equal(HttpStatusCode.Unauthorized, json.StatusCode);
        Assert.DoesNotContain(runId, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_with_an_allowed_group_lands_on_the_page_asked_for_with_an_8_hour_http_only_lax_cookie_and_sign_out_ends_it()
    {
        await using var entra = await TestEntraServer.StartAsync();
        await using var s = await StartAsync(entra);
        var runId = await TraceLoopbackTests.RunAsync(s);
        using var browser = new CookieBrowser();
        entra.NextUser = TestEntraUser.Alice(Group);

        var (page, cookie) = await browser.SignInAsync(new Uri(s.Bot.BaseUri, $"runs/{runId}?from=test"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal($"/runs/{runId}?from=test", page.RequestMessage!.RequestUri!.PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-verdict=", html, StringComparison.Ordinal);
        Assert.Contains("Signed in as <strong>Alice Example</strong> (alice@contoso.example)", html, StringComparison.Ordinal);
        Assert.Empty(entra.TokenErrors);
        var attributes = Attributes(cookie);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.DoesNotContain("secure", attributes);
        // A session cookie (gone with the browser) whose ticket the bot refuses after 8 hours, however it is kept.
        Assert.DoesNotContain(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal));
        var ticket = Ticket(s.Bot, browser.CookieValue(s.Bot.BaseUri));
        Assert.Equal(TimeSpan.FromHours(8), ticket.Properties.ExpiresUtc - ticket.Properties.IssuedUtc);

        using var json = await browser.Http.GetAsync(new Uri(s.Bot.BaseUri, $"runs/{runId}.json"));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);

        using var signedOut = await browser.Http.PostAsync(new Uri(s.Bot.BaseUri, "runs/sign-out"), null);
        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.Contains("signed out", await signedOut.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        using var again = await browser.Http.GetAsync(new Uri(s.Bot.BaseUri, $"runs/{runId}"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith(entra.AuthorizeEndpoint, again.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_in_without_an_allowed_group_a_person_gets_a_403_page_that_says_so()
    {
        await using var entra = await TestEntraServer.StartAsync();
        await using var s = await StartAsync(entra);
        var runId = await TraceLoopbackTests.RunAsync(s);
        entra.NextUser = TestEntraUser.Mallory("0b0b0b0b-0000-4000-8000-000000000000");

        using var browser = new CookieBrowser();
        var (page, _) = await browser.SignInAsync(new Uri(s.Bot.BaseUri, $"runs/{runId}"));

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Mallory Example", html, StringComparison.Ordinal);
        Assert.Contains("not in a group or app role that may see", html, StringComparison.Ordinal);
        Assert.Contains("Traces:Entra:AllowedGroups", html, StringComparison.Ordinal);
        Assert.DoesNotContain(runId, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_https_the_sign_in_cookie_is_secure()
    {
        await using var entra = await TestEntraServer.StartAsync();
        using var certificate = SelfSignedCertificate.ForLoopback();
        var settings = Settings(entra, new() { ["urls"] = "https://127.0.0.1:0" });
        await using var bot = await BotUnderTest.StartAsync(settings, b => b.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h => h.ServerCertificate = certificate)));
        entra.NextUser = TestEntraUser.Alice(Group);
        Assert.Equal("https", bot.BaseUri.Scheme);

        using var browser = new CookieBrowser(trusted: certificate);
        var (page, cookie) = await browser.SignInAsync(new Uri(bot.BaseUri, "runs"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("secure", Attributes(cookie));
        Assert.Contains("httponly", Attributes(cookie));
    }

    [Fact]
    public async Task A_sign_in_the_provider_refuses_ends_on_a_page_that_says_so()
    {
        await using var entra = await TestEntraServer.StartAsync();
        await using var s = await StartAsync(entra, new() { ["Traces:Entra:ClientSecret"] = "not-the-client-secret-0123" });
        entra.NextUser = TestEntraUser.Alice(Group);

        using var browser = new CookieBrowser();
        var (page, _) = await browser.SignInAsync(new Uri(s.Bot.BaseUri, "runs"));

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Sign-in did not complete", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["invalid_client"], entra.TokenErrors);
    }

    [Fact]
    public async Task Callers_on_this_machine_still_need_no_sign_in_unless_loopback_access_is_off()
    {
        await using var entra = await TestEntraServer.StartAsync();
        await using (var open = await BotUnderTest.StartAsync(entra.Settings(Group)))
            Assert.Equal(HttpStatusCode.OK, (await open.GetAsync("/runs")).StatusCode);

        await using var closed = await BotUnderTest.StartAsync(Settings(entra, null));
        using var page = await GetAsync(Client(), closed, "runs");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith(entra.AuthorizeEndpoint, page.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Traces:Entra:TenantId", "common", "Traces:Entra:TenantId")]
    [InlineData("Traces:Entra:AllowedGroups:0", "", "Traces:Entra:AllowedGroups or Traces:Entra:AllowedRoles")]
    [InlineData("Traces:Entra:ClientSecret", "", "Traces:Entra:ClientSecret")]
    [InlineData("Traces:Entra:Instance", "http://login.example/", "Traces:Entra:Instance")]
    public async Task A_bad_Entra_setting_stops_the_bot_at_start_naming_the_key(string key, string value, string named)
    {
        await using var entra = await TestEntraServer.StartAsync();
        var settings = entra.Settings(Group);
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var bot = await BotUnderTest.StartAsync(settings);
        });

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestEntraServer.ClientSecret, error.Message, StringComparison.Ordinal);
    }

    private static Task<BotScenario> StartAsync(TestEntraServer entra, Dictionary<string, string?>? more = null) =>
        BotScenario.StartAsync(settings: Settings(entra, more));

    private static Dictionary<string, string?> Settings(TestEntraServer entra, Dictionary<string, string?>? more)
    {
        var settings = entra.Settings(Group);
        settings["Traces:LoopbackAccess"] = "false";
        foreach (var (key, value) in more ?? [])
            settings[key] = value;
        return settings;
    }

    private static string[] Attributes(string setCookie) =>
        [.. setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];

    /// <summary>The sign-in cookie opened with the bot's own keys: what the bot will believe about it.</summary>
    private static AuthenticationTicket Ticket(BotUnderTest bot, string? cookie)
    {
        Assert.False(string.IsNullOrEmpty(cookie), "No sign-in cookie in the jar.");
        var options = bot.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get("Traces.Cookie");
        return options.TicketDataFormat.Unprotect(cookie) ?? throw new InvalidOperationException("The bot cannot read its own cookie.");
    }

    private static HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false });

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, BotUnderTest bot, string path, string? bearer = null)
    {
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bot.BaseUri, path));
            if (bearer is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return await client.SendAsync(request);
        }
    }
}
