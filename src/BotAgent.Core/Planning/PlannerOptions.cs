namespace BotAgent.Core.Planning;

/// <summary>Configuration section <c>Planner</c>.</summary>
public sealed class PlannerOptions
{
    public const string Section = "Planner";

    /// <summary><c>Offline</c> (default), <c>AzureOpenAI</c> or <c>OpenAI</c>.</summary>
    public string Provider { get; set; } = "Offline";

    /// <summary>Goal patterns the offline planner expands into steps; first match wins.</summary>
    public List<PlaybookOptions> Playbooks { get; set; } = [];
}
