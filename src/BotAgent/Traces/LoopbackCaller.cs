using System.Net;

namespace BotAgent.Traces;

/// <summary>
/// Whether a request to the trace pages comes from a person on this machine: <see cref="Channels.LocalCaller"/>'s
/// rule (a loopback peer and no forwarding header) plus a loopback <c>Host</c>. A web page from another site can
/// rebind its own name to 127.0.0.1 (DNS rebinding) and then read the bot from the victim's browser over
/// loopback; its requests still carry that site's name as their Host. Kept apart from LocalCaller, which the
/// Bot Framework endpoint uses too.
/// </summary>
public static class LoopbackCaller
{
    // X-Original-For is what the forwarded-headers middleware leaves behind after consuming X-Forwarded-For.
    private static readonly string[] ProxyHeaders =
        ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP", "X-Original-For"];

    public static bool IsLocal(HttpContext context) => IsLocal(
        context.Connection.RemoteIpAddress,
        context.Request.Host,
        ProxyHeaders.Any(h => context.Request.Headers.ContainsKey(h)));

    /// <param name="peer">The connection's peer; null (no IP transport) counts as remote.</param>
    /// <param name="host">The request's Host (or :authority), port included or not.</param>
    /// <param name="proxied">The request carries a forwarding header, so its connection says nothing about the caller.</param>
    public static bool IsLocal(IPAddress? peer, HostString host, bool proxied) =>
        Channels.LocalCaller.IsLocal(peer, proxied) && IsLoopbackHost(host);

    /// <summary><c>localhost</c>, 127.0.0.0/8 or <c>[::1]</c>, with any port; anything else, or none, is not.</summary>
    public static bool IsLoopbackHost(HostString host)
    {
        if (!host.HasValue)
            return false;
        var name = host.Host;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        if (name.StartsWith('[') && name.EndsWith(']'))
            name = name[1..^1];
        return IPAddress.TryParse(name, out var address)
            && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
