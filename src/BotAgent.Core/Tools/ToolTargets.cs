namespace BotAgent.Core.Tools;

/// <summary>
/// The one spelling of each kind of target (what a call reaches), so a tool, policy and the approved envelope
/// compare the same strings. Kinds other than an http origin carry a prefix, so a name of one kind never
/// matches a name of another (a SQL connection called <c>github</c> is not the MCP server <c>github</c>).
/// </summary>
public static class ToolTargets
{
    /// <summary>
    /// <c>scheme://host[:port]</c>, lower case, default port left out, never user info, path or query. An international
    /// name is spelt in punycode (<c>xn--…</c>), so a look-alike host cannot pass for the one people approved.
    /// </summary>
    public static string Origin(Uri url)
    {
        var host = url.HostNameType == UriHostNameType.IPv6 ? url.Host : url.IdnHost;
        var port = url.IsDefaultPort ? "" : ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{url.Scheme.ToLowerInvariant()}://{host.ToLowerInvariant()}{port}";
    }

    /// <summary>The origin of an absolute http(s) URL; null for anything else.</summary>
    public static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? Origin(uri)
            : null;

    public static string Sql(string connection) => "sql:" + connection;

    public static string Logs(string root) => "logs:" + root;

    public static string Prometheus(Uri server) => "prometheus:" + Origin(server);

    public static string Executable(string path) => "exec:" + path;

    public static string Webhook(string target) => "webhook:" + target;

    public static string Mcp(string server) => "mcp:" + server;
}
