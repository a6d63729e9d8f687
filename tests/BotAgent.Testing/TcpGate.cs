using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace BotAgent.Testing;

/// <summary>
/// A TCP relay on loopback in front of a real server (the test channel, PostgreSQL), so that server can be made
/// unreachable for a while: the relay closes its listening socket and every open connection (a connect then gets
/// RST, as from a host whose service is down) and listens on the same port again afterwards.
/// </summary>
public sealed class TcpGate(string upstreamHost, int upstreamPort) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private readonly object _gate = new();
    private TcpListener? _listener;
    private CancellationTokenSource _accepting = new();
    private int _port;

    public TcpGate(Uri upstream)
        : this(upstream.Host, upstream.Port)
    {
    }

    public int Port => _port;

    /// <summary>The gate as an http base address (for an HTTP upstream).</summary>
    public string ServiceUrl => $"http://127.0.0.1:{_port}";

    public int Refusals { get; private set; }

    public void Start()
    {
        lock (_gate)
        {
            var listener = new TcpListener(IPAddress.Loopback, _port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _listener = listener;
            _accepting = new CancellationTokenSource();
            _ = AcceptAsync(listener, _accepting.Token);
        }
    }

    /// <summary>Refuses every connection for <paramref name="duration"/>, cutting the open ones.</summary>
    public async Task RefuseForAsync(TimeSpan duration)
    {
        Close();
        await Task.Delay(duration);
        Start();
    }

    /// <summary>Refuses every connection, cutting the open ones, until <see cref="Start"/>.</summary>
    public void Close()
    {
        lock (_gate)
        {
            Refusals++;
            _accepting.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var client in _open.Keys)
                client.Dispose();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstreamClient = new TcpClient();
        _open[client] = 0;
        _open[upstreamClient] = 0;
        try
        {
            await upstreamClient.ConnectAsync(upstreamHost, upstreamPort);
            var down = client.GetStream();
            var up = upstreamClient.GetStream();
            // Either side closing ends both: a cut connection must look cut to the bot.
            await Task.WhenAny(down.CopyToAsync(up), up.CopyToAsync(down));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(upstreamClient, out _);
            client.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _accepting.Cancel();
            _listener?.Stop();
            foreach (var client in _open.Keys)
                client.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
