using BotAgent.Core.Runs;

namespace BotAgent.Core.Policy;

/// <summary>
/// One entry of the <c>Roles</c> section: who is in it, which tools they may use, how much risk they
/// may ask for and how much they may approve. The role named <c>Default</c> applies to everyone else.
/// </summary>
public sealed class RoleOptions
{
    public const string Section = "Roles";
    public const string DefaultRole = "Default";

    /// <summary>Channel user ids (Teams <c>29:…</c>, Slack <c>U…</c>), Entra object ids or e-mail addresses.</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>Tool names or globs (<c>*</c>, <c>http.*</c>, <c>mcp.github.*</c>).</summary>
    public List<string> AllowedTools { get; set; } = [];

    /// <summary>The highest risk a member may ask for: <c>read_only</c>, <c>write</c> or <c>high</c>.</summary>
    public string MaxRequestRisk { get; set; } = "high";

    /// <summary>The highest risk of a plan a member may approve: <c>read_only</c>, <c>write</c> or <c>high</c>.</summary>
    public string MaxApproveRisk { get; set; } = "high";

    public RiskLevel RequestCeiling => RiskLevels.Parse(MaxRequestRisk);

    public RiskLevel ApproveCeiling => RiskLevels.Parse(MaxApproveRisk);

    public bool IsValid => RiskLevels.TryParse(MaxRequestRisk, out _) && RiskLevels.TryParse(MaxApproveRisk, out _);
}
