using System.Reflection;

namespace BotAgent.Playground.Tests;

/// <summary>
/// What a Playground test needs outside .NET: Debian's Chromium, Node.js, and the pinned Agents Playground
/// installed by <c>npm ci</c> in this project's <c>playground</c> folder (<c>.ci/run</c> does both installs).
/// </summary>
internal static class Prerequisites
{
    /// <summary>Set by <c>.ci/run</c>: a missing prerequisite then fails the test instead of skipping it.</summary>
    public const string RequireVariable = "BOTAGENT_TEST_REQUIRE_PLAYGROUND";

    public const string ChromiumVariable = "BOTAGENT_TEST_CHROMIUM";

    public const string HowToGet =
        "Playground tests need Debian's Chromium (`apt-get install -y chromium`, or set " + ChromiumVariable + " to a Chromium binary), " +
        "Node.js 20+ on PATH, and the pinned Agents Playground (`npm ci --prefix tests/BotAgent.Playground.Tests/playground`). " +
        "`.ci/run` installs all of them. Never `playwright install`: Playwright drives this Chromium through ExecutablePath.";

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string PlaygroundDirectory { get; } =
        typeof(Prerequisites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PlaygroundDirectory").Value!;

    public static string PlaygroundCli =>
        Path.Combine(PlaygroundDirectory, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>What is missing, one phrase each; empty when everything is there.</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (!File.Exists(ChromiumPath))
            missing.Add($"no Chromium at {ChromiumPath}");
        if (NodePath() is null)
            missing.Add("no `node` on PATH");
        if (!File.Exists(PlaygroundCli))
            missing.Add($"no Playground at {PlaygroundCli}");
        return missing;
    }

    /// <summary>Throws with instructions when something is missing (the test runs only when present or required).</summary>
    public static void EnsurePresent()
    {
        var missing = Missing();
        if (missing.Count > 0)
            throw new InvalidOperationException($"{string.Join("; ", missing)}. {HowToGet}");
    }

    public static string? NodePath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "node"))
            .FirstOrDefault(File.Exists);
}
