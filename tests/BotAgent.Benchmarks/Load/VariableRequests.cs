using System.Text;

namespace BotAgent.Benchmarks.Load;

/// <summary>Requests whose bodies differ in more than an index (card clicks carry a run id and plan hash).</summary>
internal sealed class VariableRequests(Uri uri, Func<long, string> json) : IRequestSource
{
    public int MaxLength => 0;

    public ReadOnlyMemory<byte> Build(long index, byte[] scratch)
    {
        var body = Encoding.UTF8.GetBytes(json(index));
        var head = Encoding.ASCII.GetBytes(
            $"POST {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\n\r\n");
        return (byte[])[.. head, .. body];
    }
}
