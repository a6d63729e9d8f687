using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace BotAgent.Tools.Http;

/// <summary>
/// The HTTP tool's socket connector: it resolves the host itself and connects only to addresses the
/// <see cref="HostPolicy"/> allows, so DNS answers cannot smuggle a request to an internal address.
/// </summary>
public sealed class GuardedConnector
{
    private readonly HostPolicy _policy;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public GuardedConnector(HostPolicy policy)
        : this(policy, Dns.GetHostAddressesAsync)
    {
    }

    /// <param name="resolve">Looks a host name up; tests answer with the addresses a hostile DNS server would.</param>
    internal GuardedConnector(HostPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        _policy = policy;
        _resolve = resolve;
    }

    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false, // redirects are followed by the tool, re-checking each target
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
        UseProxy = false,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await _resolve(host, cancellationToken);
        var allowed = addresses.Where(a => _policy.IsAddressAllowed(host, a)).ToArray();
        if (allowed.Length == 0)
        {
            var shown = string.Join("; ", addresses.Take(3).Select(HostPolicy.Describe));
            throw new HostRefusedException($"host '{host}' resolves only to addresses that are not allowed: {shown}. Special-purpose addresses (loopback, private, link-local, documentation, …) are reached only when the host or the address is listed in Tools:Http:AllowedHosts");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
