using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BotAgent.Benchmarks.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection over a raw socket: writes a prepared request, reads the status and
/// skips the body (Content-Length or chunked). Far cheaper per request than HttpClient, so the load
/// generator takes little of the two cores from the servers it measures.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private HttpConnection(Socket socket) => _socket = socket;

    /// <summary>False after the server said <c>Connection: close</c>: open a new one.</summary>
    public bool IsReusable { get; private set; } = true;

    public static async Task<HttpConnection> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new HttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request and returns the response's status code.</summary>
    public async ValueTask<int> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < request.Length)
            sent += await _socket.SendAsync(request[sent..], SocketFlags.None, cancellationToken);

        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
            await FillAsync(cancellationToken);
        var (status, length, chunked) = ParseHead(_buffer.AsSpan(_start, headerEnd));
        _start += headerEnd + 4;

        if (chunked)
            await SkipChunksAsync(cancellationToken);
        else if (length > 0)
        {
            while (_end - _start < length)
                await FillAsync(cancellationToken);
            _start += length;
        }
        else if (length < 0 && status is not (204 or 304))
            IsReusable = false; // no length: the body ends when the server closes
        return status;
    }

    private (int Status, int Length, bool Chunked) ParseHead(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        var status = ((head[9] - '0') * 100) + ((head[10] - '0') * 10) + (head[11] - '0');
        var length = -1;
        var chunked = false;
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
                continue;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (name.Length == 14 && Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                length = int.Parse(value, provider: System.Globalization.CultureInfo.InvariantCulture);
            else if (name.Length == 17 && Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8);
            else if (name.Length == 10 && Ascii.EqualsIgnoreCase(name, "Connection"u8) && Ascii.EqualsIgnoreCase(value, "close"u8))
                IsReusable = false;
        }
        return (status, length, chunked);
    }

    private async ValueTask SkipChunksAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
                await FillAsync(cancellationToken);
            var sizeText = _buffer.AsSpan(_start, lineEnd);
            var semicolon = sizeText.IndexOf((byte)';');
            if (semicolon >= 0)
                sizeText = sizeText[..semicolon];
            var size = int.Parse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            _start += lineEnd + 2;
            // A chunk and its CRLF; the last (empty) chunk is followed by the CRLF that ends the trailers.
            while (_end - _start < size + 2)
                await FillAsync(cancellationToken);
            _start += size + 2;
            if (size == 0)
                return;
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
            _start = _end = 0;
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
                Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (read == 0)
            throw new IOException("The server closed the connection.");
        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
