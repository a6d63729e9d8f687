using System.ComponentModel.DataAnnotations;

namespace BotAgent.Core.Policy;

/// <summary>Configuration section <c>Policy</c>.</summary>
public sealed class PolicyOptions
{
    public const string Section = "Policy";

    /// <summary>The most steps a plan may have.</summary>
    [Range(1, 100)]
    public int MaxSteps { get; set; } = 10;
}
