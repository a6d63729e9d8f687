using System.Diagnostics;
using BotAgent.Testing;

namespace BotAgent.Chaos;

/// <summary>
/// The test mode that shows each invariant catches its bug: <c>--break &lt;name&gt;</c> copies the sources, applies
/// <c>Breaks/&lt;name&gt;.patch</c> (a small, deliberate bug), builds that copy and runs the harness against it. The run
/// passes only if the invariant the bug breaks is reported violated.
/// </summary>
internal static class Breaks
{
    /// <summary>Each deliberate bug and the invariant it must make the harness report.</summary>
    public static readonly IReadOnlyDictionary<string, int> Expected = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["redelivery-starts-run"] = 1,
        ["write-repeated"] = 2,
        ["run-abandoned"] = 3,
        ["plan-card-dropped"] = 4,
        ["card-not-updated"] = 5,
        ["attempt-not-ended"] = 6,
        ["worker-throws"] = 7,
    };

    public static IEnumerable<string> Known => Expected.Keys;

    /// <summary>Builds the broken copy in <paramref name="directory"/> and returns its bot assembly.</summary>
    public static async Task<string> BuildAsync(string name, string directory)
    {
        var root = BotProcess.RepositoryRoot();
        var copy = Path.Combine(directory, "broken-" + name);
        Directory.CreateDirectory(copy);
        var patch = Path.Combine(root, "tests", "BotAgent.Chaos", "Breaks", name + ".patch");
        // The working tree's files as git knows them (committed or not), without build output.
        await RunAsync("bash", root, "-c", $"git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C '{copy}'");
        await RunAsync("git", copy, "apply", "--verbose", patch);
        await RunAsync("dotnet", copy, "build", "src/BotAgent/BotAgent.csproj", "-c", "Release", "-nologo", "-v", "quiet");
        return Path.Combine(copy, "src", "BotAgent", "bin", "Release", "net10.0", "BotAgent.dll");
    }

    private static async Task RunAsync(string file, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}
