using System.ComponentModel.DataAnnotations;

namespace BotAgent.Core.Limits;

/// <summary>
/// Configuration section <c>Limits</c>: how much one person, or one conversation, may ask of the bot, so that whoever
/// is fastest cannot fill the queue or spend everyone's model budget. 0 turns a limit off. Counted by each instance
/// on its own (several instances on PostgreSQL each allow this much).
/// </summary>
public sealed class LimitOptions
{
    public const string Section = "Limits";

    /// <summary>Goals one person may post in a minute (commands like <c>status</c> are not goals).</summary>
    [Range(0, 10_000)]
    public int GoalsPerPersonPerMinute { get; set; } = 10;

    /// <summary>Plans that may wait for approval in one conversation at once.</summary>
    [Range(0, 10_000)]
    public int AwaitingApprovalPerConversation { get; set; } = 20;

    /// <summary>Model tokens (input and output) one person's runs may spend in a day.</summary>
    [Range(0, 1_000_000_000)]
    public int ModelTokensPerPersonPerDay { get; set; } = 500_000;
}
