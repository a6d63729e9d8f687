namespace BotAgent.Core.Runs;

public static class RunIds
{
    /// <summary>Time-ordered, URL-safe, unguessable enough to embed in cards.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");
}
