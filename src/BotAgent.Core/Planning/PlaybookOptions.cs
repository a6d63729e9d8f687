namespace BotAgent.Core.Planning;

/// <summary>
/// A goal pattern and the steps it expands into. <see cref="Pattern"/> is a regular expression matched
/// against the whole goal (case-insensitive); its named groups fill <c>{name}</c> placeholders in the
/// step titles and arguments.
/// </summary>
public sealed class PlaybookOptions
{
    public string Name { get; set; } = "";

    public string Pattern { get; set; } = "";

    /// <summary>How the playbook is invoked, shown in help, e.g. <c>check &lt;url&gt;</c>.</summary>
    public string Usage { get; set; } = "";

    public string Description { get; set; } = "";

    public string SuccessCriteria { get; set; } = "";

    public List<PlaybookStepOptions> Steps { get; set; } = [];
}

public sealed class PlaybookStepOptions
{
    public string Title { get; set; } = "";

    public string Tool { get; set; } = "";

    /// <summary>Argument templates. Values are strings; <c>{name}</c> is replaced by the pattern's group.</summary>
    public Dictionary<string, string> Args { get; set; } = [];

    /// <summary>What the step's result should show (checked without a model); an unmet one ends the plan as "not met".</summary>
    public Expectation? Expect { get; set; }
}
