namespace BotAgent.Tools.Logs;

/// <summary>
/// The path a file system entry really lives at, with every symbolic link along the way resolved (what
/// <c>realpath(3)</c> gives). .NET only resolves the last component (<see cref="FileSystemInfo.ResolveLinkTarget"/>),
/// and a link anywhere in a path (a linked folder) can lead out of a log root.
/// </summary>
internal static class RealPath
{
    // The same bound as Linux's MAXSYMLINKS: a loop of links fails instead of spinning.
    private const int MaxLinks = 40;

    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>Components that do not exist are kept as written; the caller decides what a missing file means.</summary>
    /// <exception cref="IOException">The path has a loop of symbolic links.</exception>
    public static string Resolve(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    /// <summary>Null when the links loop.</summary>
    public static string? TryResolve(string path)
    {
        try
        {
            return Resolve(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Resolve(string fullPath, ref int links)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var segment in fullPath[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(current, segment);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                    throw new IOException($"too many levels of symbolic links at '{next}'");
                // current has no links left in it, so '..' in a relative target can be collapsed by text.
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }
            current = next;
        }
        return current;
    }
}
