using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Logs;

/// <summary>
/// Where <c>logs.search</c> may read (<c>Tools:Logs:Roots</c>). Paths are judged twice: by text, so a plan naming
/// a path outside the roots (or with '..') is refused before anyone approves it, and by real path, so a symbolic
/// link inside a root that points outside it is refused when the file is about to be read.
/// </summary>
internal sealed class LogRoots
{
    private static readonly char[] Separators = ['/', '\\'];

    private readonly PathGlob[] _roots;

    public LogRoots(IOptions<LogsSearchOptions> options)
    {
        _roots = [.. options.Value.Roots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(PathGlob.Parse)];
    }

    public IReadOnlyList<PathGlob> All => _roots;

    /// <summary>The roots as configured, for messages and the tool's description.</summary>
    public string Describe() => string.Join(", ", _roots.Select(r => r.Text));

    /// <summary>The patterns to search for the <c>path</c> argument (all roots when it is absent).</summary>
    /// <returns>Why the path is refused; null when <paramref name="targets"/> holds what to search.</returns>
    public string? Resolve(string? path, out IReadOnlyList<PathGlob> targets)
    {
        targets = _roots;
        if (path is null)
            return null;
        if (path.Contains('\0', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(path))
            return "path is empty or not a valid path";
        if (path.Split(Separators).Contains(".."))
            return $"path '{path}' has a '..' segment; name files inside the log roots ({Describe()}) directly";

        var found = new List<PathGlob>();
        var candidates = Path.IsPathRooted(path) ? [path] : _roots.Select(r => Path.Join(r.BaseDirectory, path)).Distinct(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            var glob = PathGlob.Parse(candidate);
            var inside = glob.IsFile ? _roots.Any(r => r.Matches(glob.FilePath)) : _roots.Any(r => r.Covers(glob.BaseDirectory));
            if (!inside)
                continue;
            if (EscapesByLink(glob))
                return $"path '{path}' leads outside the log roots ({Describe()}) through a symbolic link";
            found.Add(glob);
        }
        if (found.Count == 0)
            return $"path '{path}' is outside the log roots ({Describe()})";
        targets = found;
        return null;
    }

    /// <summary>
    /// The roots a search of the <c>path</c> argument may read (every root when it is absent), in configured order;
    /// empty when the path is refused. Judged by the path's text, as <see cref="Resolve"/> judges it: a file reached
    /// through a link in one root that leads into another counts under the root the path names.
    /// </summary>
    public IReadOnlyList<PathGlob> RootsOf(string? path)
    {
        if (Resolve(path, out var targets) is not null)
            return [];
        return path is null ? _roots : [.. _roots.Where(root => targets.Any(target => MayRead(root, target)))];
    }

    // A file is read under every root its path matches. A pattern reads beneath its folder, so any root whose folder
    // holds that folder, or (for a pattern that descends) lies beneath it, may match what it finds.
    private static bool MayRead(PathGlob root, PathGlob target) =>
        target.IsFile
            ? root.Matches(target.FilePath)
            : root.Covers(target.BaseDirectory) || (target.Recursive && target.Covers(root.BaseDirectory));

    /// <summary>Whether a file's real path (links resolved) is inside a root; the roots' own folders are resolved too.</summary>
    public bool ContainsReal(string realPath) =>
        _roots.Any(r => RealPath.TryResolve(r.BaseDirectory) is { } realBase && r.WithBase(realBase).Matches(realPath));

    // Paths that do not exist yet resolve to themselves, so only links (anywhere along the path) can fail this.
    private bool EscapesByLink(PathGlob glob)
    {
        if (glob.IsFile)
            return RealPath.TryResolve(glob.FilePath) is not { } real || !ContainsReal(real);
        return RealPath.TryResolve(glob.BaseDirectory) is not { } realBase
            || !_roots.Any(r => RealPath.TryResolve(r.BaseDirectory) is { } rootBase && r.WithBase(rootBase).Covers(realBase));
    }
}
