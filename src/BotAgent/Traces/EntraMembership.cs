using System.Security.Claims;

namespace BotAgent.Traces;

/// <summary>
/// Whether a signed-in person or a token's holder may see traces: one of its <c>groups</c> (object ids) is an
/// allowed group, or one of its <c>roles</c> is an allowed app role. Claims keep their JWT names (inbound
/// claim mapping is off for the trace schemes).
/// </summary>
public static class EntraMembership
{
    public const string GroupsClaim = "groups";
    public const string RolesClaim = "roles";

    // Group object ids are GUIDs, written in either case; app role values are compared as written.
    public static bool Allows(ClaimsPrincipal user, TraceEntraOptions entra) =>
        Holds(user, GroupsClaim, entra.AllowedGroups, StringComparison.OrdinalIgnoreCase)
        || Holds(user, RolesClaim, entra.AllowedRoles, StringComparison.Ordinal);

    private static bool Holds(ClaimsPrincipal user, string type, List<string> allowed, StringComparison comparison) =>
        user.FindAll(type).Any(claim => allowed.Any(a => !string.IsNullOrWhiteSpace(a) && string.Equals(a.Trim(), claim.Value, comparison)));
}
