using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Logs;

/// <summary>
/// <c>logs.search</c>: find lines in the log files under the configured roots, newest files first, bounded in
/// matches and bytes read. Read-only. Paths outside the roots are refused at plan time and again, by real path,
/// when a file is about to be read.
/// </summary>
internal sealed class LogsSearchTool : ITool
{
    private readonly LogRoots _roots;
    private readonly LogsSearchOptions _options;

    public LogsSearchTool(LogRoots roots, IOptions<LogsSearchOptions> options)
    {
        _roots = roots;
        _options = options.Value;
        var schema = $$"""
            {
              "type": "object",
              "properties": {
                "pattern": { "type": "string", "minLength": 1, "maxLength": 1000, "description": "Text to find; a .NET regular expression when regex is true." },
                "regex": { "type": "boolean", "description": "Read pattern as a regular expression (default false: plain text)." },
                "caseSensitive": { "type": "boolean", "description": "Match case exactly (default false)." },
                "path": { "type": "string", "minLength": 1, "maxLength": 1024, "description": "A file or glob inside the log roots, absolute or relative to a root's folder (default: every root)." },
                "maxMatches": { "type": "integer", "minimum": 1, "maximum": {{_options.MaxMatches}}, "description": "Stop after this many matching lines." }
              },
              "required": ["pattern"],
              "additionalProperties": false
            }
            """;
        Descriptor = new ToolDescriptor(
            "logs.search",
            $"Search log files ({roots.Describe()}) for text or a regular expression, newest files first; returns matching lines as file:line.",
            JsonDocument.Parse(schema).RootElement.Clone(),
            RiskLevel.ReadOnly,
            Idempotent: true,
            _options.Timeout,
            PrimaryArgument: "pattern",
            Targets: Names(roots.All));
    }

    public ToolDescriptor Descriptor { get; }

    public IReadOnlyList<string> CheckArguments(JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("pattern", out var pattern)
            || pattern.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(pattern.GetString()))
            return ["logs.search needs a 'pattern'"];
        var refusals = new List<string>();
        if (Flag(args, "regex") && Matcher(args) is { Error: { } error })
            refusals.Add(error);
        if (_roots.Resolve(PathArgument(args), out _) is { } refusal)
            refusals.Add(refusal);
        return refusals;
    }

    public IReadOnlyList<string> Targets(JsonElement args) =>
        Names(_roots.RootsOf(args.ValueKind == JsonValueKind.Object ? PathArgument(args) : null));

    public async Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken)
    {
        // The plan was checked when it was approved; links can have changed since, so check again now.
        if (CheckArguments(call.Args) is [var first, ..])
            return ToolOutcome.Failure("Refused: " + first, first);
        var path = PathArgument(call.Args);
        _roots.Resolve(path, out var targets);
        var (files, skipped, capped) = FindFiles(targets);
        if (path is not null && targets is [{ IsFile: true }] && skipped > 0)
        {
            var refusal = $"path '{path}' leads outside the log roots ({_roots.Describe()}) through a symbolic link";
            return ToolOutcome.Failure("Refused: " + refusal, refusal);
        }

        var maxMatches = call.Args.TryGetProperty("maxMatches", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var asked)
            ? Math.Clamp(asked, 1, _options.MaxMatches)
            : _options.MaxMatches;
        var (isMatch, _) = Matcher(call.Args);
        LogScan scan;
        try
        {
            scan = await LogScanner.ScanAsync(files, isMatch!, maxMatches, _options.MaxBytes, _options.MaxLineChars, cancellationToken);
        }
        catch (RegexMatchTimeoutException)
        {
            var error = $"the regular expression took longer than {_options.RegexTimeout.TotalMilliseconds:0} ms on one line (Tools:Logs:RegexTimeout); make it simpler or more specific";
            return ToolOutcome.Failure("The pattern is too slow: " + error, error);
        }
        return Outcome(scan, files.Count, skipped, capped, maxMatches);
    }

    private (List<LogFile> Files, int Skipped, bool Capped) FindFiles(IReadOnlyList<PathGlob> targets)
    {
        var found = new Dictionary<string, LogFile>(StringComparer.Ordinal);
        var skipped = 0;
        var capped = false;
        foreach (var path in targets.SelectMany(Enumerate).Distinct(StringComparer.Ordinal))
        {
            if (found.Count >= _options.MaxFiles)
            {
                capped = true;
                break;
            }
            // Read through the real path, so a link swapped after this check still cannot redirect the read.
            if (RealPath.TryResolve(path) is not { } real || !_roots.ContainsReal(real))
                skipped++;
            else if (File.Exists(real) && (!found.ContainsKey(real) || path == real))
                found[real] = new LogFile(path, real, File.GetLastWriteTimeUtc(real)); // a file reached by a link too is shown by its own name
        }
        return ([.. found.Values.OrderByDescending(f => f.LastWriteUtc).ThenBy(f => f.Shown, StringComparer.Ordinal)], skipped, capped);
    }

    private static IEnumerable<string> Enumerate(PathGlob glob)
    {
        if (glob.IsFile)
            return File.Exists(glob.FilePath) || new FileInfo(glob.FilePath).LinkTarget is not null ? [glob.FilePath] : [];
        if (!Directory.Exists(glob.BaseDirectory))
            return [];
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = glob.Recursive,
            IgnoreInaccessible = true,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };
        return Directory.EnumerateFiles(glob.BaseDirectory, "*", options).Where(glob.Matches);
    }

    private ToolOutcome Outcome(LogScan scan, int fileCount, int skipped, bool capped, int maxMatches)
    {
        var filesWithMatches = scan.Matches.Select(x => x.File).Distinct(StringComparer.Ordinal).Count();
        var output = new StringBuilder();
        foreach (var match in scan.Matches)
            output.Append(match.File).Append(':').Append(match.Line.ToString(CultureInfo.InvariantCulture)).Append(": ").AppendLine(match.Text);

        var notes = new List<string>();
        if (fileCount == 0)
            notes.Add("no files matched the roots or the path");
        if (scan.MatchLimitReached)
            notes.Add($"stopped at {maxMatches} matches; there may be more");
        if (scan.ByteLimitReached)
            notes.Add($"stopped after reading {scan.BytesRead:N0} bytes (Tools:Logs:MaxBytes); older lines were not searched");
        if (capped)
            notes.Add($"only {_options.MaxFiles} files were considered (Tools:Logs:MaxFiles)");
        if (skipped > 0)
            notes.Add($"{Plural(skipped, "file")} skipped: a symbolic link leads outside the log roots");
        if (notes.Count > 0)
            output.AppendLine().AppendJoin(Environment.NewLine, notes.Select(n => "(" + n + ")"));

        var summary = $"{Plural(scan.Matches.Count, "match", "matches")} in {Plural(filesWithMatches, "file")}"
            + (scan.MatchLimitReached || scan.ByteLimitReached ? " (limit reached)" : "");
        List<KeyValuePair<string, string>> facts =
        [
            new("Matches", scan.Matches.Count.ToString(CultureInfo.InvariantCulture)),
            new("Files searched", scan.FilesSearched.ToString(CultureInfo.InvariantCulture)),
            new("Bytes read", scan.BytesRead.ToString(CultureInfo.InvariantCulture)),
        ];
        return ToolOutcome.Success(summary, output.ToString().TrimEnd(), facts) with { Measures = new ToolMeasures(Count: scan.Matches.Count) };
    }

    private (Func<string, bool>? IsMatch, string? Error) Matcher(JsonElement args)
    {
        var pattern = args.GetProperty("pattern").GetString()!;
        var comparison = Flag(args, "caseSensitive") ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (!Flag(args, "regex"))
            return (line => line.Contains(pattern, comparison), null);
        try
        {
            var options = RegexOptions.CultureInvariant | (comparison == StringComparison.Ordinal ? RegexOptions.None : RegexOptions.IgnoreCase);
            var regex = new Regex(pattern, options, _options.RegexTimeout);
            return (regex.IsMatch, null);
        }
        catch (ArgumentException ex)
        {
            return (null, $"'{pattern}' is not a valid regular expression: {ex.Message}");
        }
    }

    // A root is named as configured: that is how people read it on the card.
    private static string[] Names(IEnumerable<PathGlob> roots) =>
        [.. roots.Select(r => ToolTargets.Logs(r.Text.Trim())).Distinct(StringComparer.Ordinal)];

    private static bool Flag(JsonElement args, string name) =>
        args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? PathArgument(JsonElement args) =>
        args.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String ? path.GetString() : null;

    private static string Plural(int count, string one, string? many = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many ?? one + "s");
}
