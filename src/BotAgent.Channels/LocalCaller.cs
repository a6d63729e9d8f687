using System.Net;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Channels;

/// <summary>
/// Whether a request comes from this machine itself. A request relayed by a reverse proxy or tunnel on
/// this machine (ngrok, a dev tunnel, nginx) arrives over loopback too, so a forwarding header makes it remote.
/// </summary>
public static class LocalCaller
{
    // X-Original-*: what ASP.NET Core's forwarded-headers middleware (ASPNETCORE_FORWARDEDHEADERS_ENABLED) leaves in
    // place of the X-Forwarded-* headers it consumed, after rewriting the peer address from them: without these a
    // forged "X-Forwarded-For: 127.0.0.1" would read as a local caller.
    private static readonly string[] ProxyHeaders = ["Forwarded", "X-Forwarded-For", "X-Real-IP", "X-Original-For", "X-Original-Host", "X-Original-Proto"];

    public static bool IsProxied(HttpContext context) => ProxyHeaders.Any(h => context.Request.Headers.ContainsKey(h));

    public static bool IsLocal(HttpContext context) => IsLocal(context.Connection.RemoteIpAddress, IsProxied(context));

    /// <param name="remote">The connection's peer; null (no IP transport) counts as remote.</param>
    public static bool IsLocal(IPAddress? remote, bool proxied) =>
        remote is not null && !proxied && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
}
