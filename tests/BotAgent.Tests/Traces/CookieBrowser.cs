using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace BotAgent.Tests.Traces;

/// <summary>
/// The part of a browser that sign-in needs: a cookie jar, and redirects followed one by one so the test sees
/// every hop (the bot's challenge, the provider's redirect back, the callback's cookie).
/// </summary>
internal sealed class CookieBrowser : IDisposable
{
    public const string CookieName = "BotAgent.Traces";

    private readonly CookieContainer _cookies = new();

    /// <param name="trusted">A self-signed server certificate to trust (https on loopback); null for plain http.</param>
    public CookieBrowser(X509Certificate2? trusted = null)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = _cookies, UseCookies = true };
        if (trusted is not null)
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == trusted.Thumbprint;
        Http = new HttpClient(handler);
    }

    public HttpClient Http { get; }

    /// <summary>Opens <paramref name="page"/> and follows redirects (at most ten); the last answer and the sign-in cookie's Set-Cookie line.</summary>
    public async Task<(HttpResponseMessage Page, string Cookie)> SignInAsync(Uri page)
    {
        var response = await Http.GetAsync(page);
        var cookie = SetCookie(response);
        for (var hop = 0; hop < 10 && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect; hop++)
        {
            var next = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response.Dispose();
            response = await Http.GetAsync(next);
            cookie = SetCookie(response) ?? cookie;
        }
        return (response, cookie ?? "");
    }

    /// <summary>The sign-in cookie's value as the jar holds it for <paramref name="site"/>.</summary>
    public string? CookieValue(Uri site) => _cookies.GetCookies(site)[CookieName]?.Value;

    public void Dispose() => Http.Dispose();

    private static string? SetCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var lines)
            ? lines.FirstOrDefault(l => l.StartsWith(CookieName + "=", StringComparison.Ordinal))
            : null;
}
