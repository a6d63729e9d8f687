using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace BotAgent.Tools.Http;

/// <summary>
/// The HTTP tool's socket connector: it resolves the host itself and connects only to addresses the
/// <see cref="HostPolicy"/> allows, so DNS answers cannot smuggle a request to an internal address.
/// </summary>
public sealed class GuardedConnector(HostPolicy policy)
{
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
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => policy.IsAddressAllowed(host, a)).ToArray();
        if (allowed.Length == 0)
        {
            var shown = string.Join(", ", addresses.Take(3).Select(a => a.ToString()));
            throw new HostRefusedException($"host '{host}' resolves to {shown}, which is not allowed (loopback, private and link-local addresses must be listed in Tools:Http:AllowedHosts)");
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
