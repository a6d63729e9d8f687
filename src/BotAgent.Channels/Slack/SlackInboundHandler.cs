using System.Text.Json;
using BotAgent.Core.Intake;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.Slack;

/// <summary>
/// Turns what Slack delivered, taken from the inbox in the background, into the core's chat events: a mention or
/// direct message is a message to the bot (a command or a goal, exactly as in Teams); a button click a decision.
/// </summary>
internal sealed class SlackInboundHandler(
    IChatEvents chat,
    SlackClickHandler clicks,
    SlackUserDirectory users,
    IOptions<SlackOptions> options) : IInboundHandler
{
    public string Adapter => SlackTranslator.Adapter;

    public async Task HandleAsync(InboundItem item, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(item.Payload);
        var type = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        switch (type)
        {
            case SlackTranslator.EventCallback:
                var envelope = document.RootElement.Deserialize(SlackJsonContext.Default.SlackEventEnvelope) ?? throw new JsonException("The stored event is null.");
                await HandleMessageAsync(envelope, item.DedupeKey, cancellationToken);
                break;
            case SlackCommand.StoredType:
                var command = document.RootElement.Deserialize(SlackJsonContext.Default.SlackCommand) ?? throw new JsonException("The stored command is null.");
                await HandleCommandAsync(command, item.DedupeKey, cancellationToken);
                break;
            case SlackTranslator.BlockActions:
                var interaction = document.RootElement.Deserialize(SlackJsonContext.Default.SlackInteraction) ?? throw new JsonException("The stored click is null.");
                var conversation = SlackTranslator.ConversationOf(interaction, options.Value.BotUserId);
                if (conversation is null || interaction.User?.Id is not { Length: > 0 } userId)
                    return;
                var actor = await users.MemberAsync(userId, interaction.User.Name ?? interaction.User.Username, interaction.Team?.Id ?? interaction.User.TeamId, cancellationToken);
                await clicks.HandleAsync(interaction, actor, conversation, cancellationToken);
                break;
        }
    }

    private async Task HandleMessageAsync(SlackEventEnvelope envelope, string dedupeKey, CancellationToken cancellationToken)
    {
        var botUserId = SlackTranslator.BotUserId(envelope, options.Value.BotUserId);
        if (SlackTranslator.WhyIgnored(envelope, botUserId) is not null)
            return;
        var e = envelope.Event!;
        if (SlackTranslator.IsWelcome(e))
        {
            await chat.BotAddedAsync(SlackTranslator.WelcomeConversationOf(envelope, botUserId), cancellationToken);
            return;
        }
        var text = SlackText.ToPlain(e.Text, botUserId, leadingMentionIsBot: e.Type == "app_mention");
        if (text.Length == 0)
            return;
        var requester = await users.MemberAsync(e.User!, null, envelope.TeamId ?? e.Team, cancellationToken);
        await chat.MessagePostedAsync(new GoalPosted(SlackTranslator.ConversationOf(envelope, botUserId), requester, text, dedupeKey), cancellationToken);
    }

    /// <summary>A slash command is a message to the bot where it was typed; <c>/botagent</c> alone asks for help.</summary>
    private async Task HandleCommandAsync(SlackCommand command, string dedupeKey, CancellationToken cancellationToken)
    {
        if (command.UserId is not { Length: > 0 } userId || string.IsNullOrEmpty(command.ChannelId))
            return;
        var text = SlackText.ToPlain(command.Text, options.Value.BotUserId, leadingMentionIsBot: false);
        var requester = await users.MemberAsync(userId, command.UserName, command.TeamId, cancellationToken);
        var conversation = SlackTranslator.ConversationOf(command, options.Value.BotUserId);
        await chat.MessagePostedAsync(new GoalPosted(conversation, requester, text.Length == 0 ? "help" : text, dedupeKey), cancellationToken);
    }
}
