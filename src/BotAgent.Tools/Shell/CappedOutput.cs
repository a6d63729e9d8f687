using System.Buffers;
using System.Text;

namespace BotAgent.Tools.Shell;

/// <summary>
/// Reads a program's output stream to its end in the background, keeping the first bytes only: a program must
/// never block on a full pipe, and what was read is available even if the stream never ends.
/// </summary>
internal sealed class CappedOutput
{
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _kept = new();
    private readonly int _maxBytes;
    private long _total;

    private CappedOutput(int maxBytes) => _maxBytes = maxBytes;

    /// <summary>Ends when the stream does: when the process and every process holding its pipe are gone.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public static CappedOutput Start(Stream stream, int maxBytes)
    {
        var output = new CappedOutput(maxBytes);
        output.Completion = output.ReadAsync(stream);
        return output;
    }

    public (string Text, long Bytes, bool Cut) Snapshot()
    {
        lock (_gate)
            return (Encoding.UTF8.GetString(_kept.WrittenSpan), _total, _total > _kept.WrittenCount);
    }

    private async Task ReadAsync(Stream stream)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                lock (_gate)
                {
                    _total += read;
                    var room = _maxBytes - _kept.WrittenCount;
                    if (room > 0)
                        _kept.Write(buffer.AsSpan(0, Math.Min(room, read)));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The process was disposed while something it started still held the pipe: keep what was read.
        }
    }
}
