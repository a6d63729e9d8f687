using Microsoft.Extensions.Options;

namespace BotAgent.Traces;

/// <summary>
/// Checks <c>Traces:Entra</c> at start, naming the key that is wrong. Sign-in that admits everyone in the tenant,
/// or every tenant, would put the traces in front of far more people than the operator meant.
/// </summary>
internal sealed class TraceViewerOptionsValidator : IValidateOptions<TraceViewerOptions>
{
    // Entra's multi-tenant pseudo-tenants: a sign-in there admits accounts of any organisation.
    private static readonly string[] SharedTenants = ["common", "organizations", "consumers"];

    public ValidateOptionsResult Validate(string? name, TraceViewerOptions options)
    {
        var entra = options.Entra;
        if (!options.Enabled || !entra.IsEnabled)
            return ValidateOptionsResult.Success;
        const string key = TraceEntraOptions.Section;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(entra.TenantId) || SharedTenants.Contains(entra.TenantId.Trim(), StringComparer.OrdinalIgnoreCase))
            failures.Add($"{key}:TenantId must be your directory (tenant) id or domain; 'common', 'organizations' and 'consumers' would let other organisations in.");
        if (string.IsNullOrWhiteSpace(entra.ClientId))
            failures.Add($"{key}:ClientId must be the app registration's Application (client) id.");
        if (string.IsNullOrWhiteSpace(entra.ClientSecret))
            failures.Add($"{key}:ClientSecret must be set (a client secret of the app registration; environment or secret store only).");
        if (!IsUsableInstance(entra.Instance))
            failures.Add($"{key}:Instance must be an absolute https address such as {TraceEntraOptions.PublicCloud} (plain http only on loopback, for tests).");
        if (entra.AllowedGroups.All(string.IsNullOrWhiteSpace) && entra.AllowedRoles.All(string.IsNullOrWhiteSpace))
            failures.Add($"{key}:AllowedGroups or {key}:AllowedRoles must name at least one group object id or app role: signing in alone does not let anyone see traces.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsUsableInstance(string instance) =>
        Uri.TryCreate(instance, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
