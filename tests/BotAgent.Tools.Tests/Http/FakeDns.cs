using System.Net;
using System.Net.Sockets;

namespace BotAgent.Tools.Tests.Http;

/// <summary>
/// A DNS server the test controls, for the connector's resolution step: names answer with the addresses a hostile
/// or careless zone would publish. Unknown names are not found, as with a real resolver.
/// </summary>
internal sealed class FakeDns
{
    private readonly Dictionary<string, IPAddress[]> _zone = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Lookups { get; } = [];

    public FakeDns Add(string name, params string[] addresses)
    {
        _zone[name] = [.. addresses.Select(IPAddress.Parse)];
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        lock (Lookups)
            Lookups.Add(name);
        return _zone.TryGetValue(name, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
