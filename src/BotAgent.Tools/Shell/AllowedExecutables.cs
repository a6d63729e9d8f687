using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Shell;

/// <summary>
/// The programs <c>shell.run</c> may start, resolved to absolute paths once, at start. A step's <c>executable</c>
/// is matched exactly (a full path, or a file name): nothing is looked up at run time, so a program dropped
/// into a PATH folder later, or a path with '..' in it, cannot slip in.
/// </summary>
internal sealed class AllowedExecutables
{
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byName = new(StringComparer.Ordinal);

    public AllowedExecutables(IOptions<ShellOptions> options)
    {
        foreach (var entry in options.Value.AllowedExecutables.Where(e => !string.IsNullOrWhiteSpace(e)))
        {
            if (Locate(entry.Trim(), options.Value.Path) is not { } path)
                continue; // the options validator reports it
            _paths.Add(path);
            _byName.TryAdd(System.IO.Path.GetFileName(path), path);
        }
    }

    /// <summary>The absolute path of every allowed program, ordered.</summary>
    public IReadOnlyList<string> Paths => [.. _paths.Order(StringComparer.Ordinal)];

    public string Describe() => string.Join(", ", Paths);

    /// <summary>The absolute path of an allowed program, or null.</summary>
    public string? Resolve(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
            return System.IO.Path.IsPathFullyQualified(executable) && _paths.Contains(executable) ? executable : null;
        return _byName.GetValueOrDefault(executable);
    }

    /// <summary>An absolute path as it is (if the file exists); a bare name searched in <paramref name="searchPath"/>.</summary>
    public static string? Locate(string entry, string searchPath)
    {
        if (entry.Contains('/', StringComparison.Ordinal))
            return System.IO.Path.IsPathFullyQualified(entry) && File.Exists(entry) ? System.IO.Path.GetFullPath(entry) : null;
        return searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(System.IO.Path.IsPathFullyQualified)
            .Select(dir => System.IO.Path.Join(dir, entry))
            .FirstOrDefault(File.Exists);
    }
}
