namespace BotAgent.Testing;

/// <summary>A folder of its own under the system's temp folder, deleted when the test is done (log files for <c>logs.search</c>, and the like).</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "botagent")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file in the folder and returns its full path.</summary>
    public string Write(string name, params string[] lines)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllLines(file, lines);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open; the OS cleans its temp folder eventually.
        }
    }
}
