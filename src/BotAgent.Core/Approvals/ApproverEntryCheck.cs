using BotAgent.Core.Policy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Approvals;

/// <summary>
/// Says at start which configured approvers and role members are bare ids that could mean someone on more than one
/// channel (<c>user-dana</c>, a Slack id without its workspace), and how to write them so they mean one person.
/// </summary>
public sealed class ApproverEntryCheck(IOptions<ApprovalOptions> approvals, IOptions<Dictionary<string, RoleOptions>> roles, ILogger<ApproverEntryCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var entries = approvals.Value.HighRiskApprovers.Select(e => ("Approvals:HighRiskApprovers", e))
            .Concat(roles.Value.SelectMany(r => r.Value.Members.Select(m => ($"Roles:{r.Key}:Members", m))));
        foreach (var (key, entry) in entries.Where(e => !ApproverEntry.Parse(e.Item2).IsUnambiguous))
            logger.AmbiguousApprover(key, entry);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
