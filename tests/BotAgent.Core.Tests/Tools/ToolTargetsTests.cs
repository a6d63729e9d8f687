using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Tools;

public sealed class ToolTargetsTests
{
    [Theory]
    [InlineData("https://status.example/health?x=1#top", "https://status.example")]
    [InlineData("HTTPS://Status.EXAMPLE/Health", "https://status.example")]
    [InlineData("https://status.example:443/", "https://status.example")]
    [InlineData("http://status.example:80/", "http://status.example")]
    [InlineData("https://status.example:8443/", "https://status.example:8443")]
    [InlineData("http://status.example:443/", "http://status.example:443")]
    [InlineData("https://ops:secret@status.example/", "https://status.example")]
    [InlineData("http://127.0.0.1:5000/metrics", "http://127.0.0.1:5000")]
    [InlineData("http://[::1]:8080/", "http://[::1]:8080")]
    public void The_origin_is_scheme_host_and_port_only(string url, string origin)
    {
        Assert.Equal(origin, ToolTargets.OriginOf(url));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("status.example/health")]
    [InlineData("/health")]
    [InlineData("ftp://files.example/a")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:ops@example.com")]
    [InlineData("sql:reports")]
    public void Anything_but_an_absolute_http_url_has_no_origin(string? url)
    {
        Assert.Null(ToolTargets.OriginOf(url));
    }

    [Fact]
    public void A_look_alike_international_host_is_spelt_in_punycode_so_it_never_passes_for_the_approved_one()
    {
        var lookAlike = ToolTargets.OriginOf("https://\u0435xample.com/status"); // a Cyrillic "е"

        Assert.StartsWith("https://xn--", lookAlike, StringComparison.Ordinal);
        Assert.NotEqual("https://example.com", lookAlike);
        Assert.Equal("https://example.com", ToolTargets.OriginOf("https://example.com/status"));
    }

    [Fact]
    public void Each_kind_of_target_carries_its_own_prefix()
    {
        Assert.Equal("sql:github", ToolTargets.Sql("github"));
        Assert.Equal("mcp:github", ToolTargets.Mcp("github"));
        Assert.Equal("logs:/var/log", ToolTargets.Logs("/var/log"));
        Assert.Equal("exec:/usr/bin/df", ToolTargets.Executable("/usr/bin/df"));
        Assert.Equal("webhook:deploys", ToolTargets.Webhook("deploys"));
        Assert.Equal("prometheus:http://prom.example:9090", ToolTargets.Prometheus(new Uri("http://Prom.example:9090/api/v1")));
        Assert.NotEqual(ToolTargets.Sql("github"), ToolTargets.Mcp("github"));
    }
}
