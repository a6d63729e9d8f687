using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Core.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotAgent.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The pipeline: planner, policy, approval gate, executor, reporter and their workers.</summary>
    public static IServiceCollection AddBotAgentCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WorkSignals>();
        services.AddSingleton<ToolCatalogue>();
        services.TryAddSingleton<SecretRedactor>();
        services.AddSingleton<ArgumentSchemaValidator>();
        services.AddSingleton<Policy.Permissions>();
        services.AddSingleton<ApprovalRules>();
        services.AddSingleton<PlanValidator>();
        services.AddSingleton<EnvelopePolicy>();
        services.AddSingleton<PlanPolicy>();
        services.TryAddSingleton<IPlanner, OfflinePlanner>();
        services.AddSingleton<PlanCardViewBuilder>();
        services.AddSingleton<Reporter>();
        services.AddSingleton<Runs.RunJournal>();
        services.AddSingleton<Runs.RunCancellation>();
        services.AddSingleton<ApprovalOffer>();
        services.AddSingleton<Limits.GoalLimits>();
        services.AddSingleton<Limits.ModelUsageLimits>();
        services.AddSingleton<RunCoordinator>();
        services.AddSingleton<ChatCommands>();
        services.AddSingleton<PendingApprovals>();
        services.AddSingleton<PendingCommand>();
        services.AddSingleton<Traces.RunExplainer>();
        services.AddSingleton<ApprovalGate>();
        services.AddSingleton<StepDecisionGate>();
        services.AddSingleton<DecisionRights>();
        services.AddSingleton<Decider>();
        services.AddSingleton<ViewerCards>();
        services.AddSingleton<PlanningIndicator>();
        services.AddSingleton<IChatEvents, ChatEvents>();
        services.AddSingleton<ApprovalTimers>();
        services.AddSingleton<BotInstance>();
        services.AddSingleton<StepExecutor>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunFinisher>();
        services.AddSingleton<DecisionRequest>();
        services.AddSingleton<Observation.Replanner>();
        services.AddSingleton<Observation.Observer>();
        services.AddHostedService<Approvals.ApproverEntryCheck>();
        services.AddHostedService<InboxWorker>();
        services.AddHostedService<RunWorker>();
        services.AddSingleton<OutboxDelivery>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<OutboxBacklog>();
        return services;
    }
}
