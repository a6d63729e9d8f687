namespace BotAgent.Channels.Slack;

/// <summary>A <c>block_actions</c> interactivity payload: someone clicked a button on one of our messages.</summary>
internal sealed class SlackInteraction
{
    public string? Type { get; set; }
    public SlackUserRef? User { get; set; }
    public SlackTeamRef? Team { get; set; }
    public SlackChannelRef? Channel { get; set; }
    public SlackContainer? Container { get; set; }
    public SlackMessageRef? Message { get; set; }
    public string? TriggerId { get; set; }
    public List<SlackAction>? Actions { get; set; }
}

internal sealed class SlackUserRef
{
    public string? Id { get; set; }
    public string? Username { get; set; }
    public string? Name { get; set; }
    public string? TeamId { get; set; }
}

internal sealed class SlackTeamRef
{
    public string? Id { get; set; }
}

internal sealed class SlackChannelRef
{
    public string? Id { get; set; }
}

internal sealed class SlackContainer
{
    public string? Type { get; set; }
    public string? MessageTs { get; set; }
    public string? ChannelId { get; set; }
    public string? ThreadTs { get; set; }
    public bool IsEphemeral { get; set; }
}

internal sealed class SlackMessageRef
{
    public string? Ts { get; set; }
    public string? ThreadTs { get; set; }
}

internal sealed class SlackAction
{
    public string? Type { get; set; }
    public string? ActionId { get; set; }
    public string? BlockId { get; set; }
    public string? Value { get; set; }
    public string? ActionTs { get; set; }
}

/// <summary>What an Approve/Reject (and decision card) button carries in its <c>value</c>.</summary>
internal sealed class SlackButtonValue
{
    public string? RunId { get; set; }
    public string? PlanHash { get; set; }
    public long? AttemptId { get; set; }
}
