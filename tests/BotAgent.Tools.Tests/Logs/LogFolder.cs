namespace BotAgent.Tools.Tests.Logs;

/// <summary>
/// Real log files in a temporary folder: <c>app/</c> is the root (<c>app/*.log</c>), <c>secret/</c> lies outside it,
/// and <c>app/</c> holds symbolic links that lead out (<c>evil.log</c>, <c>linked/</c>) and one that stays inside
/// (<c>current.log</c>).
/// </summary>
internal sealed class LogFolder : IDisposable
{
    public const string SecretLine = "root:x:0:0:timeout-secret";

    public LogFolder()
    {
        Root = Directory.CreateTempSubdirectory("botagent-logs-").FullName;
        App = Path.Join(Root, "app");
        Secret = Path.Join(Root, "secret");
        Directory.CreateDirectory(App);
        Directory.CreateDirectory(Secret);

        Write("app/api.log", new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc),
            "2024-05-01T10:00:00Z INFO GET /health 200",
            "2024-05-01T10:00:01Z ERROR timeout talking to db",
            "2024-05-01T10:00:02Z WARN slow request");
        Write("app/worker.log", new DateTime(2024, 5, 2, 10, 0, 0, DateTimeKind.Utc),
            "2024-05-02T10:00:00Z INFO job 1 ok",
            "2024-05-02T10:00:01Z ERROR Timeout in job 2");
        Write("app/notes.txt", new DateTime(2024, 5, 3, 10, 0, 0, DateTimeKind.Utc), "a timeout note that is not a log");
        Write("secret/passwd.log", new DateTime(2024, 5, 4, 10, 0, 0, DateTimeKind.Utc), SecretLine);

        File.CreateSymbolicLink(Path.Join(App, "evil.log"), Path.Join(Secret, "passwd.log"));
        File.CreateSymbolicLink(Path.Join(App, "evil-relative.log"), "../secret/passwd.log");
        Directory.CreateSymbolicLink(Path.Join(App, "linked"), Secret);
        File.CreateSymbolicLink(Path.Join(App, "current.log"), "worker.log");
    }

    public string Root { get; }

    public string App { get; }

    public string Secret { get; }

    /// <summary>The glob <c>{App}/*.log</c>.</summary>
    public string AppGlob => Path.Join(App, "*.log");

    public string Write(string relativePath, DateTime lastWriteUtc, params string[] lines)
    {
        var path = Path.Join(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        File.SetLastWriteTimeUtc(path, lastWriteUtc);
        return path;
    }

    public ToolHost Host(IReadOnlyDictionary<string, string?>? extra = null, params string[] roots)
    {
        var settings = new Dictionary<string, string?> { ["Tools:Http:Enabled"] = "false", ["Tools:Logs:Enabled"] = "true" };
        var rootList = roots.Length == 0 ? [AppGlob] : roots;
        for (var i = 0; i < rootList.Length; i++)
            settings[$"Tools:Logs:Roots:{i}"] = rootList[i];
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return ToolHost.Create(settings);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
