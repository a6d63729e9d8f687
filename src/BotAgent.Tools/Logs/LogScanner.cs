using System.Buffers;
using System.Text;

namespace BotAgent.Tools.Logs;

/// <summary>One file to search: the path as found (shown) and its real path (read).</summary>
internal sealed record LogFile(string Shown, string RealPath, DateTime LastWriteUtc);

internal sealed record LogMatch(string File, long Line, string Text);

internal sealed record LogScan(IReadOnlyList<LogMatch> Matches, int FilesSearched, long BytesRead, bool MatchLimitReached, bool ByteLimitReached);

/// <summary>
/// Reads files line by line, in the order given, until the match or byte limit is reached. Works on bytes so a
/// file with one enormous line (or none) costs no more memory than <see cref="MaxLineBytes"/>.
/// </summary>
internal static class LogScanner
{
    /// <summary>Longer lines are matched and shown by their start only.</summary>
    public const int MaxLineBytes = 64 * 1024;

    private const int ChunkBytes = 64 * 1024;

    /// <param name="isMatch">May throw <see cref="System.Text.RegularExpressions.RegexMatchTimeoutException"/>.</param>
    public static async Task<LogScan> ScanAsync(
        IReadOnlyList<LogFile> files, Func<string, bool> isMatch, int maxMatches, long maxBytes, int maxLineChars, CancellationToken cancellationToken)
    {
        var matches = new List<LogMatch>();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var line = new ArrayBufferWriter<byte>(1024);
        long bytesRead = 0;
        var searched = 0;
        try
        {
            foreach (var file in files)
            {
                if (matches.Count >= maxMatches || bytesRead >= maxBytes)
                    break;
                searched++;
                await using var stream = new FileStream(file.RealPath, new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Share = FileShare.ReadWrite | FileShare.Delete, // logs are being written and rotated while we read
                    Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                    BufferSize = 0,
                });
                long lineNumber = 0;
                line.Clear();
                int read;
                while (matches.Count < maxMatches
                    && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(ChunkBytes, maxBytes - bytesRead)), cancellationToken)) > 0)
                {
                    bytesRead += read;
                    var rest = chunk.AsSpan(0, read);
                    while (matches.Count < maxMatches)
                    {
                        var newline = rest.IndexOf((byte)'\n');
                        Append(line, newline < 0 ? rest : rest[..newline]);
                        if (newline < 0)
                            break;
                        Check(file, ++lineNumber, line, isMatch, maxLineChars, matches);
                        rest = rest[(newline + 1)..];
                    }
                    if (bytesRead >= maxBytes)
                        break;
                }
                if (line.WrittenCount > 0 && matches.Count < maxMatches)
                    Check(file, ++lineNumber, line, isMatch, maxLineChars, matches);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return new LogScan(matches, searched, bytesRead, matches.Count >= maxMatches, bytesRead >= maxBytes);
    }

    private static void Append(ArrayBufferWriter<byte> line, ReadOnlySpan<byte> bytes)
    {
        var room = MaxLineBytes - line.WrittenCount;
        if (room > 0)
            line.Write(bytes[..Math.Min(room, bytes.Length)]);
    }

    private static void Check(LogFile file, long lineNumber, ArrayBufferWriter<byte> line, Func<string, bool> isMatch, int maxLineChars, List<LogMatch> matches)
    {
        var text = Encoding.UTF8.GetString(line.WrittenSpan).TrimEnd('\r');
        line.Clear();
        if (!isMatch(text))
            return;
        if (text.Length > maxLineChars)
            text = string.Concat(text.AsSpan(0, maxLineChars), "…");
        matches.Add(new LogMatch(file.Shown, lineNumber, text));
    }
}
