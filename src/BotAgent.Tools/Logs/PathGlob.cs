using System.Text;
using System.Text.RegularExpressions;

namespace BotAgent.Tools.Logs;

/// <summary>
/// An absolute path pattern: the folder it starts from (<see cref="BaseDirectory"/>, no wildcards) and a pattern
/// for the rest. <c>*</c> and <c>?</c> match within one folder, <c>**</c> across folders; a folder matches every
/// file beneath it; a path without wildcards matches that file.
/// </summary>
internal sealed class PathGlob
{
    private static readonly char[] Wildcards = ['*', '?'];
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex _rest;

    private PathGlob(string text, string baseDirectory, string rest, bool isFile)
    {
        Text = text;
        BaseDirectory = baseDirectory;
        Rest = rest;
        IsFile = isFile;
        Recursive = rest.Contains('/', StringComparison.Ordinal) || rest.Contains("**", StringComparison.Ordinal);
        // Paths are short and the pattern has no back-references: the non-backtracking engine cannot blow up.
        _rest = new Regex(ToRegex(rest), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
    }

    /// <summary>The pattern as configured or given.</summary>
    public string Text { get; }

    /// <summary>Absolute, normalised, without a trailing separator (except the file system root).</summary>
    public string BaseDirectory { get; }

    /// <summary>The pattern below <see cref="BaseDirectory"/>, with '/' separators.</summary>
    public string Rest { get; }

    /// <summary>One file, named without wildcards.</summary>
    public bool IsFile { get; }

    /// <summary>Matches below the first level of <see cref="BaseDirectory"/>.</summary>
    public bool Recursive { get; }

    /// <summary>The file this glob names when <see cref="IsFile"/>.</summary>
    public string FilePath => Path.Join(BaseDirectory, Rest);

    /// <summary>Reads an absolute path or pattern. A path without wildcards is a folder if it ends with a separator or is an existing folder.</summary>
    /// <exception cref="FormatException">The path is relative, or has a '..' segment.</exception>
    public static PathGlob Parse(string text)
    {
        var path = text.Trim().Replace('\\', '/');
        if (!Path.IsPathRooted(path))
            throw new FormatException($"'{text}' is not an absolute path");
        if (path.Split('/').Contains(".."))
            throw new FormatException($"'{text}' has a '..' segment");

        var firstWildcard = path.IndexOfAny(Wildcards);
        if (firstWildcard < 0)
        {
            var full = Path.GetFullPath(path);
            if (path.EndsWith('/') || Directory.Exists(full))
                return new PathGlob(text, Trim(full), "**", isFile: false);
            return new PathGlob(text, Trim(Path.GetDirectoryName(full)!), Path.GetFileName(full), isFile: true);
        }

        var split = path.LastIndexOf('/', firstWildcard);
        var baseDirectory = Trim(Path.GetFullPath(path[..(split + 1)]));
        var rest = string.Join('/', path[(split + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "."));
        return new PathGlob(text, baseDirectory, rest, isFile: false);
    }

    /// <summary>The same pattern below another folder (the real path of this one's base).</summary>
    public PathGlob WithBase(string baseDirectory) => new(Text, Trim(baseDirectory), Rest, IsFile);

    /// <summary>Whether a full path (by text: links are not resolved here) matches.</summary>
    public bool Matches(string fullPath)
    {
        var path = fullPath.Replace('\\', '/');
        var prefix = BaseDirectory.EndsWith('/') ? BaseDirectory : BaseDirectory + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) && _rest.IsMatch(path[prefix.Length..]);
    }

    /// <summary>Whether a folder is <see cref="BaseDirectory"/> or beneath it.</summary>
    public bool Covers(string directory)
    {
        var path = Trim(directory.Replace('\\', '/'));
        return path == BaseDirectory
            || path.StartsWith(BaseDirectory.EndsWith('/') ? BaseDirectory : BaseDirectory + "/", StringComparison.Ordinal);
    }

    private static string Trim(string directory) =>
        directory.Length > 1 ? directory.Replace('\\', '/').TrimEnd('/') : directory.Replace('\\', '/');

    private static string ToRegex(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (string.CompareOrdinal(glob, i, "**/", 0, 3) == 0)
            {
                regex.Append("(?:[^/]+/)*");
                i += 2;
            }
            else if (string.CompareOrdinal(glob, i, "**", 0, 2) == 0)
            {
                regex.Append(".*");
                i++;
            }
            else
            {
                regex.Append(glob[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(glob[i].ToString()),
                });
            }
        }
        return regex.Append('$').ToString();
    }
}
