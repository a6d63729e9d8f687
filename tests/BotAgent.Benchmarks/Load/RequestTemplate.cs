using System.Text;

namespace BotAgent.Benchmarks.Load;

/// <summary>
/// A POST request whose body holds the same 9-digit placeholder one or more times (activity id,
/// conversation id, …): each request copies the bytes and writes its index there, so a request costs a
/// copy and no allocation. Or a GET without one, sent as it is.
/// </summary>
internal sealed class RequestTemplate : IRequestSource
{
    public const string Placeholder = "#########";
    private const int Digits = 9;
    private readonly byte[] _bytes;
    private readonly int[] _offsets;

    private RequestTemplate(byte[] bytes)
    {
        _bytes = bytes;
        var offsets = new List<int>();
        var span = bytes.AsSpan();
        for (int at = 0, found; (found = span[at..].IndexOf("#########"u8)) >= 0; at += found + Digits)
            offsets.Add(at + found);
        _offsets = [.. offsets];
    }

    public int MaxLength => _bytes.Length;

    /// <summary>Text of one request for <paramref name="index"/>, to read or to send once.</summary>
    public string TextOf(long index)
    {
        var scratch = new byte[_bytes.Length];
        return Encoding.UTF8.GetString(Build(index, scratch).Span);
    }

    public static RequestTemplate Post(Uri uri, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var head = Encoding.ASCII.GetBytes(
            $"POST {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\n\r\n");
        return new RequestTemplate([.. head, .. body]);
    }

    /// <summary>A GET of <paramref name="uri"/> (a page), the same bytes every time.</summary>
    public static RequestTemplate Get(Uri uri) =>
        new(Encoding.ASCII.GetBytes($"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nAccept: text/html\r\n\r\n"));

    public ReadOnlyMemory<byte> Build(long index, byte[] scratch)
    {
        _bytes.CopyTo(scratch, 0);
        foreach (var offset in _offsets)
        {
            var value = index;
            for (var d = Digits - 1; d >= 0; d--)
            {
                scratch[offset + d] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }
        return scratch.AsMemory(0, _bytes.Length);
    }
}
