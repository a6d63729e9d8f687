using System.Text.RegularExpressions;
using BotAgent.Core.Intake;
using BotAgent.Core.Runs;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Policy;

/// <summary>
/// What a person may do, from the <c>Roles</c> configuration. Without any roles configured everyone may
/// use every enabled tool and the approval rules alone decide. Policy applies this when a plan is made;
/// the executor applies it again before each step, so a change after approval takes effect.
/// </summary>
public sealed class Permissions
{
    private readonly IReadOnlyList<(string Name, RoleOptions Role, Regex[] Tools)> _roles;
    private readonly (string Name, RoleOptions Role, Regex[] Tools) _default;

    public Permissions(IOptions<Dictionary<string, RoleOptions>> options)
    {
        var configured = options.Value;
        _roles = [.. configured.Where(r => !IsDefault(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value, Globs(r.Value.AllowedTools)))];
        var fallback = configured.FirstOrDefault(r => IsDefault(r.Key)).Value
            ?? new RoleOptions { AllowedTools = ["*"] };
        _default = (RoleOptions.DefaultRole, fallback, Globs(fallback.AllowedTools));
    }

    public bool Configured => _roles.Count > 0;

    /// <summary>The roles a member is in (by id, Entra object id or e-mail); the default role when none.</summary>
    public IReadOnlyList<(string Name, RoleOptions Role)> RolesOf(Member member)
    {
        var mine = _roles.Where(r => r.Role.Members.Any(member.IsIdentifiedBy)).Select(r => (r.Name, r.Role)).ToList();
        return mine.Count > 0 ? mine : [(_default.Name, _default.Role)];
    }

    /// <summary>Null when the member may use the tool; otherwise why not.</summary>
    public string? WhyNotTool(Member member, string tool)
    {
        var roles = Matching(member);
        return roles.Any(r => r.Tools.Any(g => g.IsMatch(tool)))
            ? null
            : $"{member.Name} may not use {tool} (role {string.Join(", ", roles.Select(r => r.Name))})";
    }

    /// <summary>The highest risk the member may ask for.</summary>
    public RiskLevel RequestCeiling(Member member) => Matching(member).Max(r => r.Role.RequestCeiling);

    /// <summary>Null when the member may ask for a plan of this risk.</summary>
    public string? WhyNotRequest(Member member, RiskLevel risk)
    {
        var ceiling = Matching(member).Max(r => r.Role.RequestCeiling);
        return risk <= ceiling ? null : $"{member.Name} may ask for at most {ceiling.ToWire()} plans; this one is {risk.ToWire()}";
    }

    /// <summary>Null when the member may approve a plan of this risk.</summary>
    public string? WhyNotApprove(Member member, RiskLevel risk)
    {
        var ceiling = Matching(member).Max(r => r.Role.ApproveCeiling);
        return risk <= ceiling ? null : $"{member.Name} may approve at most {ceiling.ToWire()} plans; this one is {risk.ToWire()}";
    }

    /// <summary>Everyone named in a role that may approve plans of <paramref name="risk"/>.</summary>
    public IEnumerable<string> ApproversFor(RiskLevel risk) =>
        _roles.Where(r => r.Role.ApproveCeiling >= risk).SelectMany(r => r.Role.Members);

    private List<(string Name, RoleOptions Role, Regex[] Tools)> Matching(Member member)
    {
        var mine = _roles.Where(r => r.Role.Members.Any(member.IsIdentifiedBy)).ToList();
        return mine.Count > 0 ? mine : [_default];
    }

    private static bool IsDefault(string name) => string.Equals(name, RoleOptions.DefaultRole, StringComparison.OrdinalIgnoreCase);

    private static Regex[] Globs(IEnumerable<string> globs) =>
        [.. globs.Select(g => new Regex("^" + Regex.Escape(g.Trim()).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)))];
}
