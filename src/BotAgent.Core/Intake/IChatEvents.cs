using BotAgent.Core.Approvals;
using BotAgent.Core.Reporting;

namespace BotAgent.Core.Intake;

/// <summary>
/// The core's one port for chat adapters: the channel-neutral events an adapter translates its wire traffic into.
/// Adapters call nothing else in the core; what they must answer on the wire comes back as values.
/// </summary>
public interface IChatEvents
{
    /// <summary>Someone wrote to the bot: a command is answered, anything else is planned as a goal.</summary>
    Task MessagePostedAsync(GoalPosted message, CancellationToken cancellationToken);

    /// <summary>The bot was added to a conversation: it introduces itself, once per conversation.</summary>
    Task BotAddedAsync(ConversationKey conversation, CancellationToken cancellationToken);

    /// <summary>A click on a plan card's Approve or Reject.</summary>
    Task<DecisionResult> PlanDecidedAsync(PlanDecision decision, CancellationToken cancellationToken);

    /// <summary>A click on a decision card (a write whose outcome is unknown).</summary>
    Task<DecisionResult> StepDecidedAsync(StepDecision decision, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the clicker, in a thread, why their click changed nothing: next to the card when they clicked in the run's
    /// conversation, where they clicked otherwise (a stranger's click does not post into someone else's thread).
    /// </summary>
    Task AnswerUnchangedAsync(DecisionResult result, ConversationKey clickedIn, CancellationToken cancellationToken);

    /// <summary>A notice for a click the adapter could not read, posted where it came from.</summary>
    Task NoticeAsync(ConversationKey conversation, NoticeView notice, CancellationToken cancellationToken);

    /// <summary>A run's plan card as <paramref name="viewer"/> should see it, or null when it is not to be shown there.</summary>
    Task<ViewerCard?> CardForAsync(string runId, Member viewer, ConversationKey where, CancellationToken cancellationToken);
}
