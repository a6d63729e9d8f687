namespace BotAgent.Channels.Slack;

/// <summary>
/// The parts of a Slack conversation's address the core stores for the adapter. Named as they were when the
/// conversation key held them as fields, so stored runs and outbox rows read the same.
/// </summary>
internal static class SlackAddress
{
    /// <summary>The workspace (team id) the conversation is in.</summary>
    public const string Team = "tenantId";

    /// <summary>Slack's channel type (<c>im</c>, <c>channel</c>, …), where known.</summary>
    public const string ChannelType = "conversationType";
}
