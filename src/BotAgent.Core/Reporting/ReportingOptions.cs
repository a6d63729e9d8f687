using System.ComponentModel.DataAnnotations;

namespace BotAgent.Core.Reporting;

/// <summary>Configuration section <c>Reporting</c>.</summary>
public sealed class ReportingOptions
{
    public const string Section = "Reporting";

    /// <summary>The most characters of a step's output shown in the thread; the store keeps all of it.</summary>
    [Range(100, 8_000)]
    public int MaxOutputChars { get; set; } = 1500;
}
