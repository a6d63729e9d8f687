namespace BotAgent.Tests.DirectLine;

/// <summary>Where the pinned official Direct Line client is installed, and whether it is.</summary>
internal static class DirectLineClientPrerequisites
{
    public static string ClientDirectory { get; } = Path.Combine(RepositoryRoot(), "tests", "directline-client");

    public static string? Missing()
    {
        if (NodePath() is null)
            return "No `node` on PATH. " + HowToGet;
        return File.Exists(Path.Combine(ClientDirectory, "node_modules", "botframework-directlinejs", "package.json"))
            ? null
            : $"No Direct Line client in {ClientDirectory}/node_modules. {HowToGet}";
    }

    public static void EnsurePresent()
    {
        if (Missing() is { } missing)
            throw new InvalidOperationException(missing);
    }

    private const string HowToGet = "Install Node.js 20+ and run `npm ci --prefix tests/directline-client` (.ci/run does).";

    private static string? NodePath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "node"))
            .FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BotAgent.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (BotAgent.sln) above " + AppContext.BaseDirectory);
    }
}
